package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.OperatorSetIdProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorShapeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TypeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ValueInfoProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad input exits with status 1 and exactly one line on stderr that names the problem. */
class BadInputsTest {
    private static final String LENET = "../models/lenet5_mnist.onnx";

    @TempDir
    Path dir;

    private static void assertOneLineError(CliRun r, String... fragments) {
        assertEquals(1, r.status(), "exit status; stderr: " + r.err());
        assertEquals(1, r.errLines().size(), "one line on stderr, but got: " + r.err());
        assertTrue(r.err().startsWith("qtune: error: "), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "stderr should mention '" + f + "': " + r.err());
        }
        assertEquals("", r.out(), "nothing on stdout");
    }

    @Test
    void truncatedOnnxFile() throws IOException {
        byte[] model = Files.readAllBytes(Path.of(LENET));
        Path cut = dir.resolve("cut.onnx");
        Files.write(cut, Arrays.copyOf(model, model.length * 6 / 10));
        assertOneLineError(CliRun.of("eval", cut.toString(), "--data", "mnist"), "cut.onnx", "truncated");
        assertOneLineError(CliRun.of("inspect", cut.toString()), "cut.onnx", "truncated");
    }

    @Test
    void textFileNamedOnnx() throws IOException {
        Path text = dir.resolve("notes.onnx");
        Files.writeString(text, "this is not a model\nbut a text file\n");
        assertOneLineError(CliRun.of("inspect", text.toString()), "notes.onnx", "not");
    }

    @Test
    void missingModelFile() {
        assertOneLineError(CliRun.of("inspect", dir.resolve("absent.onnx").toString()), "absent.onnx", "not found");
    }

    @Test
    void unsupportedOp() throws IOException {
        Path file = dir.resolve("erf.onnx");
        Files.write(file, modelWithOneNode("Erf", "my_erf").toByteArray());
        assertOneLineError(
                CliRun.of("inspect", file.toString()), "erf.onnx", "unsupported op 'Erf'", "my_erf", "opset 13");
    }

    @Test
    void missingDatasetFile() throws IOException {
        Path spec = dir.resolve("gone.yaml");
        Files.writeString(
                spec,
                "name: gone\nclasses: 10\nsplits:\n  test:\n    images: no-such-images.idx\n"
                        + "    labels: no-such-labels.idx\n");
        assertOneLineError(CliRun.of("eval", LENET, "--data", spec.toString()), "no-such-images.idx", "not found");
    }

    @Test
    void labelCountDoesNotMatchImages() throws IOException {
        Files.write(dir.resolve("images.idx"), idx(0x803, new int[] {3, 28, 28}));
        Files.write(dir.resolve("labels.idx"), idx(0x801, new int[] {2}));
        Path spec = dir.resolve("uneven.yaml");
        Files.writeString(
                spec, "name: uneven\nclasses: 10\nsplits:\n  test:\n    images: images.idx\n    labels: labels.idx\n");
        assertOneLineError(CliRun.of("eval", LENET, "--data", spec.toString()), "labels.idx", "3", "2");
    }

    /** An IDX file of zero bytes with the given magic and dimensions. */
    private static byte[] idx(int magic, int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + n);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    private static ModelProto modelWithOneNode(String opType, String nodeName) {
        TypeProto f32 = TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(1)
                        .setShape(TensorShapeProto.newBuilder()
                                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(4))))
                .build();
        GraphProto graph = GraphProto.newBuilder()
                .setName("g")
                .addInput(ValueInfoProto.newBuilder().setName("x").setType(f32))
                .addOutput(ValueInfoProto.newBuilder().setName("y").setType(f32))
                .addNode(NodeProto.newBuilder()
                        .setOpType(opType)
                        .setName(nodeName)
                        .addInput("x")
                        .addOutput("y"))
                .build();
        return ModelProto.newBuilder()
                .setIrVersion(7)
                .setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .build();
    }
}

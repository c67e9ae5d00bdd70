package dev.qtune.compiler.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.interp.IntegerInterpreter;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QAddNode;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.PreQuantizedModel;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.compiler.quant.QuantizedModel;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Zero points (docs/integer-semantics.md, "Zero points"): a QDQ file whose every 8-bit tensor is
 * re-encoded in the other signedness (int8 q as uint8 q + 128 with zero point 128, uint8 q as int8
 * q - 128 with zero point -128, weights likewise) stands for exactly the same real values, so its
 * integer graph, now full of non-zero zero points (padding, bias compensation, pools, Add, fused
 * Relu clamps), must give bit-identical outputs.
 */
class ZeroPointImportTest {
    private static final int PIXELS = 28 * 28;
    private static final String CONFIG = "defaults:\n  activation_calibration: max\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource({"mlp_mnist.onnx", "lenet5_mnist.onnx", "resnet8_fashion.onnx"})
    void reEncodingEveryTensorWithAnotherZeroPointKeepsTheOutputs(String file) {
        ModelProto symmetric = foreign(file);
        ModelProto shifted = QdqSignedness.flip(symmetric);
        Graph a = QdqImporter.parse(symmetric.toByteArray(), file + ".qdq").realized();
        Graph b =
                QdqImporter.parse(shifted.toByteArray(), file + ".shifted.qdq").realized();
        assertEquals(
                a.nodes().stream().map(Node::opType).toList(),
                b.nodes().stream().map(Node::opType).toList());
        assertTrue(
                b.nodes().stream()
                        .anyMatch(n -> n instanceof QConv2dNode c && c.inputZeroPoint() != 0
                                || n instanceof QDenseNode d && d.requantize().zeroPoint() != 0),
                "zero points in the shifted graph");
        if (file.startsWith("resnet")) {
            assertTrue(
                    b.nodes().stream()
                            .anyMatch(n -> n instanceof QAddNode add
                                    && add.inputZeroPoints().stream().anyMatch(z -> z != 0)),
                    "Add with input zero points");
        }
        float[] x = Fixtures.uniform(7, 16 * PIXELS, -0.3f, 1.3f);
        Tensor expected = new IntegerInterpreter(a).run(x, 16);
        Tensor actual = new IntegerInterpreter(b).run(x, 16);
        assertArrayEquals(expected.floats(), actual.floats(), "outputs, bit for bit");
    }

    /**
     * uint8 weights with a zero point far from 128 (ONNX Runtime's asymmetric QUInt8 weights) leave
     * q - z beyond int8: the graph stores them as int16, exactly, and export writes them back as
     * uint8 with a zero point, so that import gives the same integer graph.
     */
    @Test
    void aWeightZeroPointThatLeavesNineBitIntegersIsCarriedExactlyAsInt16(@TempDir Path dir) {
        ModelProto m = QdqSignedness.flip(foreign(Fixtures.LENET));
        GraphProto g = m.getGraph();
        NodeProto conv = g.getNodeList().stream()
                .filter(n -> n.getOpType().equals("Conv"))
                .findFirst()
                .orElseThrow();
        NodeProto dq = g.getNodeList().stream()
                .filter(n -> n.getOutput(0).equals(conv.getInput(1)))
                .findFirst()
                .orElseThrow();
        GraphProto edited = QdqSignedness.replaceInitializer(g, dq.getInput(2), t -> {
            Tensor z = OnnxTensors.toTensor(t, "zero point");
            int[] zs = new int[z.numel()];
            Arrays.fill(zs, 3);
            return OnnxTensors.toProto(t.getName(), Tensor.ofInts(DType.U8, z.shape(), zs));
        });
        int[] fileWeights = g.getInitializerList().stream()
                .filter(t -> t.getName().equals(dq.getInput(0)))
                .findFirst()
                .map(t -> OnnxTensors.toTensor(t, "weight").ints())
                .orElseThrow();
        PreQuantizedModel imported =
                QdqImporter.parse(m.toBuilder().setGraph(edited).build().toByteArray(), "u8w.onnx");
        Graph realized = imported.realized();
        QConv2dNode first = realized.nodes().stream()
                .filter(n -> n instanceof QConv2dNode)
                .map(n -> (QConv2dNode) n)
                .findFirst()
                .orElseThrow();
        Tensor w = realized.initializers().get(first.weight());
        assertEquals(DType.I16, w.dtype());
        int[] expected = Arrays.stream(fileWeights).map(q -> q - 3).toArray();
        assertArrayEquals(expected, w.ints(), "weights less the zero point");
        assertTrue(Arrays.stream(expected).max().orElseThrow() > 127, "9-bit weights");

        Path file = dir.resolve("again.onnx");
        QdqExporter.write(imported, file);
        Graph again = QdqImporter.load(file).realized();
        assertArrayEquals(expected, again.initializers().get(first.weight()).ints(), "weights after export and import");
        float[] x = Fixtures.uniform(11, 16 * PIXELS, -0.3f, 1.3f);
        assertArrayEquals(
                new IntegerInterpreter(realized).run(x, 16).floats(),
                new IntegerInterpreter(again).run(x, 16).floats(),
                "outputs after export and import, bit for bit");
    }

    @Test
    void aBiasZeroPointMustBeZero() {
        ModelProto m = foreign(Fixtures.LENET);
        GraphProto g = m.getGraph();
        NodeProto conv = g.getNodeList().stream()
                .filter(n -> n.getOpType().equals("Conv"))
                .findFirst()
                .orElseThrow();
        NodeProto dq = g.getNodeList().stream()
                .filter(n -> n.getOutput(0).equals(conv.getInput(2)))
                .findFirst()
                .orElseThrow();
        GraphProto edited = QdqSignedness.replaceInitializer(g, dq.getInput(2), t -> {
            Tensor z = OnnxTensors.toTensor(t, "zero point");
            int[] zs = new int[z.numel()];
            zs[0] = 5;
            return OnnxTensors.toProto(t.getName(), Tensor.ofInts(DType.I32, z.shape(), zs));
        });
        OnnxImportException e = assertThrows(
                OnnxImportException.class,
                () -> QdqImporter.parse(m.toBuilder().setGraph(edited).build().toByteArray(), "bad.onnx"));
        assertTrue(
                e.getMessage().contains("with a non-zero zero point, but a bias must have zero point 0"),
                e.getMessage());
    }

    /** qtune's export of {@code file}, marked as written by another tool (so int8 means [-128, 127]). */
    static ModelProto foreign(String file) {
        QuantizedModel q = QdqExporterTest.quantize(
                PassPipeline.prerequisites().run(Fixtures.load(file)), QuantConfigReader.parse(CONFIG, "test.yaml"));
        return QdqExporter.toProto(q).toBuilder()
                .setProducerName("zero-point-test")
                .build();
    }
}

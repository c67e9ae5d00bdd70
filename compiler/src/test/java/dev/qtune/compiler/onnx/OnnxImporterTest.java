package dev.qtune.compiler.onnx;

import static dev.qtune.compiler.onnx.OnnxModels.FLOAT;
import static dev.qtune.compiler.onnx.OnnxModels.INT64;
import static dev.qtune.compiler.onnx.OnnxModels.floatData;
import static dev.qtune.compiler.onnx.OnnxModels.ints;
import static dev.qtune.compiler.onnx.OnnxModels.model;
import static dev.qtune.compiler.onnx.OnnxModels.node;
import static dev.qtune.compiler.onnx.OnnxModels.rawData;
import static dev.qtune.compiler.onnx.OnnxModels.reluGraph;
import static dev.qtune.compiler.onnx.OnnxModels.tensorAttr;
import static dev.qtune.compiler.onnx.OnnxModels.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.ir.ClipNode;
import dev.qtune.compiler.ir.ConstantNode;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.GraphVerifier;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.TensorType;
import dev.qtune.compiler.ir.Window2d;
import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.OperatorSetIdProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorProto;
import dev.qtune.compiler.pass.PassPipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnnxImporterTest {
    @TempDir
    Path dir;

    private static Map<String, Integer> opCounts(Graph g) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Node n : g.nodes()) {
            counts.merge(n.opType(), 1, Integer::sum);
        }
        return counts;
    }

    private static void assertMnistIo(Graph g) {
        assertEquals(13, g.opset());
        assertEquals(1, g.inputs().size());
        assertEquals("input", g.inputs().get(0).name());
        assertEquals("f32[?x1x28x28]", g.inputs().get(0).type().toString());
        assertEquals(List.of("logits"), g.outputNames());
        assertEquals("f32[?x10]", g.outputs().get(0).type().toString());
        assertEquals(GraphVerifier.verify(g), g);
    }

    @Test
    void importsMlp() {
        Graph g = Fixtures.load(Fixtures.MLP);
        assertMnistIo(g);
        assertEquals(Map.of("Div", 1, "Flatten", 1, "Gemm", 3, "Relu", 2, "Sub", 1), opCounts(g));
        assertEquals(8, g.nodes().size());
    }

    @Test
    void importsLenet() {
        Graph g = Fixtures.load(Fixtures.LENET);
        assertMnistIo(g);
        assertEquals(
                Map.of("Conv", 2, "Div", 1, "Flatten", 1, "Gemm", 3, "MaxPool", 2, "Relu", 4, "Sub", 1), opCounts(g));
        Conv2dNode first = (Conv2dNode) g.nodes().stream()
                .filter(n -> n instanceof Conv2dNode)
                .findFirst()
                .orElseThrow();
        assertEquals(new Window2d(5, 5, 1, 1, 2, 2, 2, 2, 1, 1), first.window());
        assertEquals("f32[6x1x5x5]", g.initializers().get(first.weight()).type().toString());
    }

    @Test
    void importsResnet8() {
        Graph g = Fixtures.load(Fixtures.RESNET);
        assertMnistIo(g);
        assertEquals(
                Map.of(
                        "Add",
                        3,
                        "BatchNormalization",
                        9,
                        "Conv",
                        9,
                        "Div",
                        1,
                        "Flatten",
                        1,
                        "Gemm",
                        1,
                        "GlobalAveragePool",
                        1,
                        "Identity",
                        2,
                        "Relu",
                        7,
                        "Sub",
                        1),
                opCounts(g));
    }

    @Test
    void normalisationConstantsAreReadFromRawData() {
        Graph g = Fixtures.load(Fixtures.MLP);
        assertEquals(0.1307f, g.initializers().get("norm.mean").floats()[0], 1e-7f);
        assertEquals(0.3081f, g.initializers().get("norm.std").floats()[0], 1e-7f);
        assertEquals("f32[1x1x1x1]", g.initializers().get("norm.mean").type().toString());
    }

    // ---- bad files ----

    private static ModelProto parseModel(String file) {
        try {
            return ModelProto.parseFrom(Files.readAllBytes(Fixtures.model(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.001, 0.1, 0.35, 0.6, 0.85, 0.999})
    void truncatedModelIsAnImportErrorNamingTheFile(double fraction) throws IOException {
        byte[] full = Files.readAllBytes(Fixtures.model(Fixtures.LENET));
        Path cut = write("lenet_cut.onnx", Arrays.copyOf(full, (int) (full.length * fraction)));
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.load(cut));
        assertTrue(e.getMessage().contains("lenet_cut.onnx"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void modelMissingItsLastByteIsRejected() throws IOException {
        byte[] full = Files.readAllBytes(Fixtures.model(Fixtures.RESNET));
        Path cut = write("resnet_cut.onnx", Arrays.copyOf(full, full.length - 1));
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.load(cut));
        assertTrue(e.getMessage().contains("resnet_cut.onnx"), e.getMessage());
    }

    @Test
    void graphCutAtANodeBoundaryNamesTheMissingValue() {
        // A cut that still parses: the last nodes are gone, so 'logits' has no producer.
        ModelProto m = parseModel(Fixtures.LENET);
        GraphProto.Builder g = m.getGraph().toBuilder();
        while (g.getNodeCount() > 5) {
            g.removeNode(g.getNodeCount() - 1);
        }
        byte[] bytes = m.toBuilder().setGraph(g).build().toByteArray();
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.parse(bytes, "cut.onnx"));
        assertTrue(e.getMessage().startsWith("cut.onnx: "), e.getMessage());
        assertTrue(e.getMessage().contains("graph output 'logits' is not defined"), e.getMessage());
    }

    @Test
    void missingInitializerNamesTheReadingNode() {
        ModelProto m = parseModel(Fixtures.LENET);
        GraphProto.Builder g = m.getGraph().toBuilder();
        String dropped = g.getInitializer(g.getInitializerCount() - 1).getName();
        g.removeInitializer(g.getInitializerCount() - 1);
        byte[] bytes = m.toBuilder().setGraph(g).build().toByteArray();
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.parse(bytes, "m.onnx"));
        assertTrue(e.getMessage().contains("reads '" + dropped + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("node '"), e.getMessage());
    }

    @Test
    void randomlyCorruptedModelsFailOnlyWithImportErrors() throws IOException {
        // Seeded byte flips in the structure of a real model: every outcome is a graph or an
        // OnnxImportException, never an NPE, IndexOutOfBounds or OutOfMemoryError.
        byte[] full = Files.readAllBytes(Fixtures.model(Fixtures.MLP));
        Random r = new Random(42);
        int failures = 0;
        for (int trial = 0; trial < 300; trial++) {
            byte[] b = full.clone();
            int flips = 1 + r.nextInt(3);
            for (int f = 0; f < flips; f++) {
                // Most of the file is weights; aim at the first and last 4 KiB, where the structure is.
                int at = r.nextBoolean() ? r.nextInt(4096) : b.length - 1 - r.nextInt(4096);
                b[at] = (byte) r.nextInt(256);
            }
            try {
                OnnxImporter.parse(b, "fuzz" + trial + ".onnx");
            } catch (OnnxImportException e) {
                failures++;
                assertTrue(e.getMessage().contains("fuzz" + trial + ".onnx"), e.getMessage());
            }
        }
        assertTrue(failures > 0, "no corruption was detected at all");
    }

    @Test
    void textFileIsNotAModel() throws IOException {
        Path p = write("x.onnx", "this is not a model, just some text\nsecond line\n".getBytes(StandardCharsets.UTF_8));
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.load(p));
        assertTrue(e.getMessage().contains("x.onnx"), e.getMessage());
        assertTrue(e.getMessage().contains("not"), e.getMessage());
    }

    @Test
    void emptyFileIsNotAModel() throws IOException {
        Path p = write("empty.onnx", new byte[0]);
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.load(p));
        assertTrue(e.getMessage().contains("empty.onnx"), e.getMessage());
        assertTrue(e.getMessage().contains("no graph"), e.getMessage());
    }

    @Test
    void missingFileNamesThePath() {
        Path p = dir.resolve("nope.onnx");
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.load(p));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    }

    @Test
    void directoryIsAnImportError() {
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.load(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void importErrorsAreUserErrors() {
        assertTrue(QtuneException.class.isAssignableFrom(OnnxImportException.class));
    }

    // ---- unsupported content ----

    @ParameterizedTest
    @ValueSource(strings = {"Erf", "LSTM"})
    void unsupportedOpIsNamedWithNodeAndOpset(String op) {
        GraphProto.Builder g = reluGraph().clearNode().addNode(node(op, "odd_node", List.of("x"), List.of("y")));
        byte[] bytes = model(13, g).toByteArray();
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.parse(bytes, "odd.onnx"));
        String m = e.getMessage();
        assertTrue(m.startsWith("odd.onnx: "), m);
        assertTrue(m.contains("unsupported op '" + op + "'"), m);
        assertTrue(m.contains("node 'odd_node'"), m);
        assertTrue(m.contains("opset 13"), m);
        assertTrue(m.contains("Conv") && m.contains("Gemm"), "lists the supported ops: " + m);
    }

    @Test
    void opOfAnotherDomainIsNamedWithItsDomain() {
        GraphProto.Builder g = reluGraph()
                .clearNode()
                .addNode(node("Relu", "r", List.of("x"), List.of("y")).toBuilder()
                        .setDomain("com.microsoft")
                        .build());
        OnnxImportException e = assertThrows(
                OnnxImportException.class, () -> OnnxImporter.parse(model(13, g).toByteArray(), "ms.onnx"));
        assertTrue(e.getMessage().contains("domain 'com.microsoft'"), e.getMessage());
        assertTrue(e.getMessage().contains("node 'r'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 10, 18})
    void unsupportedOpsetIsNamed(int opset) {
        OnnxImportException e = assertThrows(
                OnnxImportException.class,
                () -> OnnxImporter.parse(model(opset, reluGraph()).toByteArray(), "old.onnx"));
        String m = e.getMessage();
        assertTrue(m.startsWith("old.onnx: "), m);
        assertTrue(m.contains("opset " + opset + " "), m);
        assertTrue(m.contains("11 to 17"), m);
    }

    @ParameterizedTest
    @ValueSource(ints = {11, 17})
    void opsetBoundsAreAccepted(int opset) {
        Graph g = OnnxImporter.parse(model(opset, reluGraph()).toByteArray(), "ok.onnx");
        assertEquals(opset, g.opset());
        assertEquals("f32[?x3]", g.inputs().get(0).type().toString());
    }

    @Test
    void modelWithoutDefaultDomainOpsetIsRejected() {
        ModelProto m = model(13, reluGraph()).toBuilder()
                .clearOpsetImport()
                .addOpsetImport(OperatorSetIdProto.newBuilder()
                        .setDomain("com.microsoft")
                        .setVersion(1))
                .build();
        OnnxImportException e =
                assertThrows(OnnxImportException.class, () -> OnnxImporter.parse(m.toByteArray(), "d.onnx"));
        assertTrue(e.getMessage().contains("d.onnx") && e.getMessage().contains("default ONNX domain"), e.getMessage());
    }

    @Test
    void conv3dIsRejectedNamingNodeAndKernelRank() {
        GraphProto.Builder g = OnnxModels.graph("c3")
                .addInput(value("x", FLOAT, 1, 1, 4, 4, 4))
                .addOutput(value("y", FLOAT, 1, 1, 3, 3, 3))
                .addInitializer(floatData("w", new long[] {1, 1, 2, 2, 2}, new float[8]))
                .addNode(node("Conv", "conv3d", List.of("x", "w"), List.of("y"), ints("kernel_shape", 2, 2, 2)));
        OnnxImportException e = assertThrows(
                OnnxImportException.class, () -> OnnxImporter.parse(model(13, g).toByteArray(), "c3.onnx"));
        String m = e.getMessage();
        assertTrue(m.startsWith("c3.onnx: Conv node 'conv3d'"), m);
        assertTrue(m.contains("2-D") && m.contains("3 dimensions"), m);
    }

    @Test
    void attributeOfTheWrongTypeIsNamed() {
        GraphProto.Builder g = OnnxModels.graph("c")
                .addInput(value("x", FLOAT, 1, 1, 4, 4))
                .addOutput(value("y", FLOAT, 1, 1, 3, 3))
                .addInitializer(floatData("w", new long[] {1, 1, 2, 2}, new float[4]))
                .addNode(node("Conv", "conv", List.of("x", "w"), List.of("y"), OnnxModels.intAttr("kernel_shape", 2)));
        OnnxImportException e = assertThrows(
                OnnxImportException.class, () -> OnnxImporter.parse(model(13, g).toByteArray(), "c.onnx"));
        assertTrue(e.getMessage().contains("Conv node 'conv'"), e.getMessage());
        assertTrue(e.getMessage().contains("'kernel_shape' must have type INTS, but has type INT"), e.getMessage());
    }

    @Test
    void wrongInputCountIsAnImportErrorNamingTheNode() {
        GraphProto.Builder g = reluGraph().clearNode().addNode(node("Gemm", "fc", List.of("x"), List.of("y")));
        OnnxImportException e = assertThrows(
                OnnxImportException.class, () -> OnnxImporter.parse(model(13, g).toByteArray(), "g.onnx"));
        assertTrue(e.getMessage().contains("g.onnx: Gemm node 'fc'"), e.getMessage());
        assertTrue(e.getMessage().contains("2 to 3 inputs, but had 1"), e.getMessage());
    }

    @Test
    void secondOutputOfASingleOutputOpIsRejected() {
        GraphProto.Builder g = reluGraph().clearNode().addNode(node("Relu", "r", List.of("x"), List.of("y", "extra")));
        OnnxImportException e = assertThrows(
                OnnxImportException.class, () -> OnnxImporter.parse(model(13, g).toByteArray(), "o.onnx"));
        assertTrue(e.getMessage().contains("Relu node 'r'") && e.getMessage().contains("'extra'"), e.getMessage());
    }

    @Test
    void unnamedNodesGetUniqueNames() {
        GraphProto.Builder g = reluGraph()
                .clearNode()
                .addNode(node("Relu", "", List.of("x"), List.of("h")))
                .addNode(node("Relu", "", List.of("h"), List.of("y")));
        Graph graph = OnnxImporter.parse(model(13, g).toByteArray(), "u.onnx");
        assertEquals(
                List.of("Relu_0", "Relu_1"),
                graph.nodes().stream().map(Node::name).toList());
    }

    // ---- tensors ----

    private static final float[] VALUES = {1.5f, -2f, 3.25f, 0f, -0.125f, 1e-7f};

    private static Graph addConstGraph(TensorProto init) {
        GraphProto.Builder g = OnnxModels.graph("t")
                .addInput(value("x", FLOAT, 2, 3))
                .addOutput(value("y", FLOAT, 2, 3))
                .addInitializer(init)
                .addNode(node("Add", "add", List.of("x", "c"), List.of("y")));
        return OnnxImporter.parse(model(13, g).toByteArray(), "t.onnx");
    }

    @Test
    void rawDataAndFloatDataGiveTheSameTensor() {
        Tensor raw = addConstGraph(rawData("c", new long[] {2, 3}, VALUES))
                .initializers()
                .get("c");
        Tensor typed = addConstGraph(floatData("c", new long[] {2, 3}, VALUES))
                .initializers()
                .get("c");
        assertEquals(typed, raw);
        assertArrayEquals(VALUES, raw.floats());
        assertEquals(DType.F32, raw.dtype());
        assertEquals("f32[2x3]", raw.type().toString());
    }

    @Test
    void rawDataOfTheWrongLengthNamesTheTensor() {
        TensorProto t = rawData("c", new long[] {2, 3}, 1f, 2f, 3f, 4f, 5f);
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> addConstGraph(t));
        String m = e.getMessage();
        assertTrue(m.contains("t.onnx: initializer 'c'"), m);
        assertTrue(m.contains("must hold 24 bytes, but holds 20"), m);
    }

    @Test
    void floatDataOfTheWrongLengthNamesTheTensor() {
        TensorProto t = floatData("c", new long[] {2, 3});
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> addConstGraph(t));
        assertTrue(e.getMessage().contains("must hold 6 values, but holds 0"), e.getMessage());
    }

    @Test
    void hugeDimensionsAreAnImportErrorNotAnAllocation() {
        // A corrupt header must not make the importer allocate gigabytes or overflow.
        for (long[] dims : new long[][] {{1L << 30}, {100_000, 100_000}, {1L << 40}}) {
            TensorProto t = rawData("c", dims, 1f, 2f);
            OnnxImportException e =
                    assertThrows(OnnxImportException.class, () -> addConstGraph(t), Arrays.toString(dims));
            assertTrue(e.getMessage().contains("initializer 'c'"), e.getMessage());
        }
    }

    @Test
    void unsupportedDataTypeIsNamed() {
        TensorProto t = rawData("c", new long[] {2, 3}, VALUES).toBuilder()
                .setDataType(10)
                .build();
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> addConstGraph(t));
        assertTrue(e.getMessage().contains("tensor 'c' has ONNX data type 10"), e.getMessage());
    }

    @Test
    void int64ShapeTensorIsRead() {
        TensorProto shape = TensorProto.newBuilder()
                .setName("s")
                .setDataType(INT64)
                .addDims(2)
                .addInt64Data(3)
                .addInt64Data(-1)
                .build();
        GraphProto.Builder g = OnnxModels.graph("r")
                .addInput(value("x", FLOAT, 2, 3))
                .addOutput(value("y", FLOAT, 3, 2))
                .addInitializer(shape)
                .addNode(node("Reshape", "rs", List.of("x", "s"), List.of("y")));
        Graph graph = OnnxImporter.parse(model(13, g).toByteArray(), "r.onnx");
        Tensor s = graph.initializers().get("s");
        assertEquals(DType.I64, s.dtype());
        assertArrayEquals(new int[] {3, -1}, s.ints());
    }

    // ---- ReLU6 as Clip with Constant min/max ----

    @Test
    void relu6AsClipWithConstantNodesImportsAndClamps() {
        TensorProto zero = floatData("", new long[0], 0f);
        TensorProto six = floatData("", new long[0], 6f);
        GraphProto.Builder g = OnnxModels.graph("relu6")
                .addInput(value("x", FLOAT, -1, 4))
                .addOutput(value("y", FLOAT, -1, 4))
                .addNode(node("Constant", "c_min", List.of(), List.of("min"), tensorAttr("value", zero)))
                .addNode(node("Constant", "c_max", List.of(), List.of("max"), tensorAttr("value", six)))
                .addNode(node("Clip", "relu6", List.of("x", "min", "max"), List.of("y")));
        Graph imported = OnnxImporter.parse(model(13, g).toByteArray(), "relu6.onnx");
        assertEquals(
                List.of("Constant", "Constant", "Clip"),
                imported.nodes().stream().map(Node::opType).toList());
        assertEquals(Tensor.scalar(6f), ((ConstantNode) imported.nodes().get(1)).value());

        Graph ready = PassPipeline.prerequisites().run(imported);
        assertEquals(List.of("Clip"), ready.nodes().stream().map(Node::opType).toList());
        ClipNode clip = (ClipNode) ready.nodes().get(0);
        assertEquals(Tensor.scalar(0f), ready.initializers().get(clip.min().orElseThrow()));
        assertEquals(Tensor.scalar(6f), ready.initializers().get(clip.max().orElseThrow()));
        assertEquals(TensorType.f32(-1, 4), ready.outputs().get(0).type());

        float[] x = {-3f, -0f, 0.5f, 2.5f, 5.999f, 6f, 6.001f, 100f};
        float[] y = new Fp32Interpreter(ready).run(x, 2).floats();
        assertArrayEquals(new float[] {0f, 0f, 0.5f, 2.5f, 5.999f, 6f, 6f, 6f}, y);
    }
}

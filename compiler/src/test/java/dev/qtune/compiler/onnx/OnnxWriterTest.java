package dev.qtune.compiler.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.Fixtures.GraphBuilder;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.ir.AvgPool2dNode;
import dev.qtune.compiler.ir.BatchNormNode;
import dev.qtune.compiler.ir.BinaryNode;
import dev.qtune.compiler.ir.BinaryOp;
import dev.qtune.compiler.ir.ClipNode;
import dev.qtune.compiler.ir.ConcatNode;
import dev.qtune.compiler.ir.ConstantNode;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.DropoutNode;
import dev.qtune.compiler.ir.FlattenNode;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.IdentityNode;
import dev.qtune.compiler.ir.MatMulNode;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.ReshapeNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.SoftmaxNode;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.TensorType;
import dev.qtune.compiler.ir.Window2d;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorShapeProto;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.compiler.quant.QuantizedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OnnxWriter: import -> write -> import gives the same graph (nodes, constants bit for bit, typed
 * inputs and outputs), for the reference models and for a graph with every op the writer knows;
 * the model header is opset 13 / IR 8 with a symbolic batch dimension; integer graphs are refused.
 */
class OnnxWriterTest {
    @TempDir
    Path dir;

    static Graph roundTrip(Graph g) {
        return OnnxImporter.parse(OnnxWriter.toBytes(g), "written " + g.name());
    }

    static void assertSameGraph(Graph expected, Graph actual) {
        assertEquals(expected.nodes(), actual.nodes());
        assertEquals(expected.initializers(), actual.initializers());
        assertEquals(expected.inputs(), actual.inputs());
        assertEquals(expected.outputNames(), actual.outputNames());
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.MLP, Fixtures.LENET, Fixtures.RESNET})
    void referenceModelsRoundTrip(String file) {
        Graph g = Fixtures.load(file);
        Graph back = roundTrip(g);
        assertSameGraph(g, back);
        assertEquals(g.outputs(), back.outputs(), "declared output types");
        float[] x = Fixtures.uniform(3, 16 * 28 * 28, 0f, 1f);
        float[] expected = new Fp32Interpreter(PassPipeline.prerequisites().run(g))
                .run(x, 16)
                .floats();
        float[] actual = new Fp32Interpreter(PassPipeline.prerequisites().run(back))
                .run(x, 16)
                .floats();
        assertArrayEquals(expected, actual, "bit-identical outputs");
    }

    @Test
    void everyOpRoundTrips() {
        Graph g = everyOp();
        Graph back = roundTrip(g);
        assertSameGraph(g, back);
        Map<String, Tensor> feeds = Map.of("x", Fixtures.random(4, 2, 4, 6, 6));
        Map<String, Tensor> expected =
                new Fp32Interpreter(PassPipeline.prerequisites().run(g)).run(feeds);
        Map<String, Tensor> actual =
                new Fp32Interpreter(PassPipeline.prerequisites().run(back)).run(feeds);
        assertEquals(List.of("y", "d"), List.copyOf(actual.keySet()));
        assertEquals(expected, actual, "bit-identical outputs");
    }

    @Test
    void headerTypesAndSymbolicBatch() throws Exception {
        Path file = dir.resolve("sub/lenet.onnx");
        OnnxWriter.write(Fixtures.load(Fixtures.LENET), file);
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(file));
        assertEquals(8, m.getIrVersion());
        assertEquals(1, m.getOpsetImportCount());
        assertEquals("", m.getOpsetImport(0).getDomain());
        assertEquals(13, m.getOpsetImport(0).getVersion());
        assertEquals("qtune", m.getProducerName());
        TensorShapeProto in = m.getGraph().getInput(0).getType().getTensorType().getShape();
        assertEquals("batch", in.getDim(0).getDimParam());
        assertEquals(28, in.getDim(3).getDimValue());
        TensorShapeProto out =
                m.getGraph().getOutput(0).getType().getTensorType().getShape();
        assertEquals("batch", out.getDim(0).getDimParam());
        assertEquals(10, out.getDim(1).getDimValue());
        assertTrue(m.getGraph().getInitializerList().stream().allMatch(t -> t.hasRawData()), "raw data");
    }

    @Test
    void untypedGraphsAreTypedAndUnreadConstantsLeftOut() {
        Graph g = new GraphBuilder("relu")
                .input("x", TensorType.f32(-1, 3))
                .init("unused", Tensor.scalar(1f))
                .node(new ReluNode("r", "x", "y"))
                .output("y")
                .build();
        ModelProto m = OnnxWriter.toProto(g);
        assertEquals(0, m.getGraph().getInitializerCount());
        assertEquals(
                2,
                m.getGraph().getOutput(0).getType().getTensorType().getShape().getDimCount());
    }

    @Test
    void integerGraphsAreRefused() {
        Graph fp32 = PassPipeline.prerequisites().run(Fixtures.load(Fixtures.LENET));
        QuantizedModel q = QdqExporterTest.quantize(fp32, QuantConfig.defaultConfig());
        OnnxExportException e = assertThrows(OnnxExportException.class, () -> OnnxWriter.toProto(q.realized()));
        assertTrue(e.getMessage().contains("has no ONNX writer rule"), e.getMessage());
        assertTrue(e.getMessage().contains("node '"), e.getMessage());
        assertTrue(e.getMessage().contains("simulated graph"), e.getMessage());
    }

    @Test
    void allowZeroReshapeNeedsOpset14() {
        Graph g = new GraphBuilder("r")
                .input("x", TensorType.f32(-1, 4))
                .init("shape", Tensor.ofInts(DType.I64, Shape.of(2), new int[] {0, 4}))
                .node(new ReshapeNode("reshape0", List.of("x", "shape"), "y", true))
                .output("y")
                .build();
        OnnxExportException e = assertThrows(OnnxExportException.class, () -> OnnxWriter.toProto(g));
        assertTrue(e.getMessage().contains("reshape0") && e.getMessage().contains("opset 14"), e.getMessage());
    }

    /** x f32[?x4x6x6] through every op OnnxWriter knows (except SimQuantize, see QdqExporterTest). */
    private static Graph everyOp() {
        Window2d pad1 = new Window2d(3, 3, 1, 1, 1, 1, 1, 1, 1, 1);
        Window2d dilated = new Window2d(3, 3, 2, 1, 2, 1, 0, 2, 2, 1);
        return new GraphBuilder("every-op")
                .input("x", TensorType.f32(-1, 4, 6, 6))
                .init("w", Fixtures.random(1, 8, 2, 3, 3))
                .init("b", Fixtures.random(2, 8))
                .init("gamma", Fixtures.random(3, 8))
                .init("beta", Fixtures.random(4, 8))
                .init("mean", Fixtures.random(5, 8))
                .init("var", Tensor.ofFloats(Shape.of(8), Fixtures.uniform(6, 8, 0.5f, 2f)))
                .init("lo", Tensor.scalar(-0.5f))
                .init("hi", Tensor.scalar(0.75f))
                .init("shape", Tensor.ofInts(DType.I64, Shape.of(2), new int[] {0, -1}))
                .init("fc", Fixtures.random(7, 10, 16))
                .init("fcb", Fixtures.random(8, 10))
                .init("mm", Fixtures.random(9, 10, 5))
                .node(new Conv2dNode("conv", List.of("x", "w", "b"), "c", pad1, 2))
                .node(new BatchNormNode("bn", List.of("c", "gamma", "beta", "mean", "var"), "bn_out", 1e-3f))
                .node(new ClipNode("clip", List.of("bn_out", "lo", "hi"), "clipped"))
                .node(new Conv2dNode("dconv", List.of("x", "w"), "d", dilated, 2))
                .node(new MaxPool2dNode(
                        "maxpool", List.of("clipped"), "mp", new Window2d(2, 2, 2, 2, 0, 0, 1, 1, 1, 1), true))
                .node(new AvgPool2dNode(
                        "avgpool", List.of("clipped"), "ap", new Window2d(3, 3, 2, 2, 1, 1, 1, 1, 1, 1), false, true))
                .node(new BinaryNode("mul", BinaryOp.MUL, List.of("mp", "ap"), "prod"))
                .node(new ConcatNode("concat", List.of("prod", "ap"), "cat", 1))
                .node(new GlobalAvgPoolNode("gap", "cat", "pooled"))
                .node(new FlattenNode("flatten", List.of("pooled"), "flat", 1))
                .node(new ConstantNode("const", Tensor.ofFloats(Shape.of(16), Fixtures.uniform(10, 16, 0f, 1f)), "k"))
                .node(new BinaryNode("sub", BinaryOp.SUB, List.of("flat", "k"), "centred"))
                .node(new ReshapeNode("reshape", List.of("centred", "shape"), "r", false))
                .node(new DropoutNode("dropout", List.of("r"), List.of("dr")))
                .node(new IdentityNode("identity", List.of("dr"), "id"))
                .node(new GemmNode("gemm", List.of("id", "fc", "fcb"), "g", 0.5f, 2f, false, true))
                .node(new MatMulNode("matmul", List.of("g", "mm"), "m"))
                .node(new ReluNode("relu", "m", "rl"))
                .node(new BinaryNode("div", BinaryOp.DIV, List.of("rl", "lo"), "q"))
                .node(new BinaryNode("add", BinaryOp.ADD, List.of("q", "hi"), "s"))
                .node(new SoftmaxNode("softmax", List.of("s"), "y", -1))
                .output("y")
                .output("d")
                .build();
    }

    @Test
    void everyOpGraphUsesEveryRule() {
        List<String> ops = everyOp().nodes().stream()
                .map(n -> n.getClass().getSimpleName().replaceFirst("Node$", ""))
                .distinct()
                .sorted()
                .toList();
        List<String> rules = OnnxWriteRules.supportedOps().stream()
                .filter(o -> !o.equals("SimQuantize"))
                .toList();
        assertEquals(rules, ops);
        assertFalse(ops.isEmpty());
    }
}

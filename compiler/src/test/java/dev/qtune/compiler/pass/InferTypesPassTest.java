package dev.qtune.compiler.pass;

import static dev.qtune.compiler.Fixtures.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.Fixtures.GraphBuilder;
import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.BinaryNode;
import dev.qtune.compiler.ir.BinaryOp;
import dev.qtune.compiler.ir.ConcatNode;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.FlattenNode;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.MatMulNode;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.ReshapeNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.SoftmaxNode;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.TensorType;
import dev.qtune.compiler.ir.Window2d;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InferTypesPassTest {
    private static Graph infer(Graph g) {
        return PassPipeline.apply(new InferTypesPass(), g);
    }

    private static String error(Graph g) {
        return assertThrows(QtuneException.class, () -> infer(g)).getMessage();
    }

    private static GraphBuilder x(int... dims) {
        return new GraphBuilder("g").input("x", TensorType.f32(dims));
    }

    @Test
    void resnet8TypesEveryConvAndTheLogits() {
        Graph g = infer(Fixtures.load(Fixtures.RESNET));
        assertEquals("f32[?x10]", g.outputs().get(0).type().toString());
        assertEquals("f32[?x10]", g.type("logits").toString());
        Map<String, String> convs = new LinkedHashMap<>();
        for (Node n : g.nodes()) {
            if (n instanceof Conv2dNode c) {
                convs.put(c.name(), g.type(c.output()).toString());
            }
        }
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("/conv/Conv", "f32[?x32x28x28]");
        expected.put("/layer1/conv1/Conv", "f32[?x32x28x28]");
        expected.put("/layer1/conv2/Conv", "f32[?x32x28x28]");
        expected.put("/layer2/conv1/Conv", "f32[?x64x14x14]");
        expected.put("/layer2/conv2/Conv", "f32[?x64x14x14]");
        expected.put("/layer2/shortcut/shortcut.0/Conv", "f32[?x64x14x14]");
        expected.put("/layer3/conv1/Conv", "f32[?x128x7x7]");
        expected.put("/layer3/conv2/Conv", "f32[?x128x7x7]");
        expected.put("/layer3/shortcut/shortcut.0/Conv", "f32[?x128x7x7]");
        assertEquals(expected, convs);
        assertEquals(
                "f32[?x128x1x1]", g.type("/pool/GlobalAveragePool_output_0").toString());
        assertEquals("f32[?x128]", g.type("/flatten/Flatten_output_0").toString());
        for (Node n : g.nodes()) {
            assertTrue(g.types().containsKey(n.output()), "untyped: " + n.output());
        }
    }

    @Test
    void mlpAndLenetEndInTenLogits() {
        for (String m : List.of(Fixtures.MLP, Fixtures.LENET)) {
            assertEquals(
                    "f32[?x10]", infer(Fixtures.load(m)).outputs().get(0).type().toString(), m);
        }
    }

    @Test
    void gemmWithMismatchedInnerDimensionsNamesTheNode() {
        String m = error(x(Shape.DYNAMIC, 8)
                .init("w", random(1, 10, 9))
                .node(new GemmNode("fc_bad", List.of("x", "w"), "y", 1f, 1f, false, true))
                .output("y")
                .build());
        assertEquals("Gemm node 'fc_bad': inner dimensions must agree, but A is [?x8] and B is [10x9] (transposed)", m);
    }

    @Test
    void gemmTranspositionsGiveTheOutputShape() {
        Graph g = infer(x(7, 3).init("w", random(1, 7, 5))
                .node(new GemmNode("fc", List.of("x", "w"), "y", 1f, 1f, true, false))
                .output("y")
                .build());
        assertEquals("f32[3x5]", g.type("y").toString());
    }

    @Test
    void convChannelMismatchNamesTheNode() {
        String m = error(x(1, 3, 8, 8)
                .init("w", random(1, 4, 2, 3, 3))
                .node(new Conv2dNode("conv_bad", List.of("x", "w"), "y", Window2d.of(3, 3), 1))
                .output("y")
                .build());
        assertTrue(m.startsWith("Conv node 'conv_bad': input channels must be weight channels x group = 2"), m);
    }

    @Test
    void convWeightMustMatchKernelShape() {
        String m = error(x(1, 2, 8, 8)
                .init("w", random(1, 4, 2, 3, 3))
                .node(new Conv2dNode("c", List.of("x", "w"), "y", Window2d.of(5, 5), 1))
                .output("y")
                .build());
        assertTrue(m.contains("Conv node 'c'") && m.contains("kernel_shape 5x5"), m);
    }

    @Test
    void convBiasShapeIsChecked() {
        String m = error(x(1, 2, 8, 8)
                .init("w", random(1, 4, 2, 3, 3))
                .init("b", random(2, 3))
                .node(new Conv2dNode("c", List.of("x", "w", "b"), "y", Window2d.of(3, 3), 1))
                .output("y")
                .build());
        assertEquals("Conv node 'c': bias shape must be [4], but was [3]", m);
    }

    @Test
    void groupedStridedConvAndCeilPool() {
        Graph g = infer(x(Shape.DYNAMIC, 4, 9, 9)
                .init("w", random(1, 8, 2, 3, 3))
                .node(new Conv2dNode("c", List.of("x", "w"), "h", new Window2d(3, 3, 2, 2, 1, 1, 1, 1, 1, 1), 2))
                .node(new MaxPool2dNode("p", List.of("h"), "y", new Window2d(2, 2, 2, 2, 0, 0, 0, 0, 1, 1), true))
                .output("y")
                .build());
        assertEquals("f32[?x8x5x5]", g.type("h").toString());
        assertEquals("f32[?x8x3x3]", g.type("y").toString());
    }

    @Test
    void broadcastingAndItsErrors() {
        Graph g = infer(x(Shape.DYNAMIC, 3, 4, 5)
                .init("c", random(1, 3, 1, 1))
                .node(new BinaryNode("add", BinaryOp.ADD, List.of("x", "c"), "y"))
                .output("y")
                .build());
        assertEquals("f32[?x3x4x5]", g.type("y").toString());
        String m = error(x(2, 3).init("c", random(1, 4))
                .node(new BinaryNode("mul_bad", BinaryOp.MUL, List.of("x", "c"), "y"))
                .output("y")
                .build());
        assertEquals("Mul node 'mul_bad': shapes [2x3] and [4] do not broadcast", m);
    }

    @Test
    void flattenConcatSoftmaxAndMatMulShapes() {
        Graph g = infer(x(Shape.DYNAMIC, 2, 3, 4)
                .init("k", random(1, 1, 2, 3, 4))
                .init("m", random(2, 24, 6))
                .node(new ConcatNode("cat", List.of("x", "x"), "c", -1))
                .node(new FlattenNode("f", List.of("x"), "f2", 1))
                .node(new MatMulNode("mm", List.of("f2", "m"), "mm_out"))
                .node(new SoftmaxNode("sm", List.of("mm_out"), "y", -1))
                .output("y")
                .build());
        assertEquals("f32[?x2x3x8]", g.type("c").toString());
        assertEquals("f32[?x24]", g.type("f2").toString());
        assertEquals("f32[?x6]", g.type("y").toString());
        String m = error(x(2, 3).init("m", random(1, 4, 5))
                .node(new MatMulNode("mm_bad", List.of("x", "m"), "y"))
                .output("y")
                .build());
        assertTrue(m.startsWith("MatMul node 'mm_bad': shapes [2x3] and [4x5] cannot be multiplied"), m);
    }

    @Test
    void reshapeTypesResolveZeroAndMinusOneAndRejectBadCounts() {
        Tensor s = Tensor.ofInts(DType.I64, Shape.of(2), new int[] {0, -1});
        Graph g = infer(x(Shape.DYNAMIC, 4, 5)
                .init("s", s)
                .node(new ReshapeNode("rs", List.of("x", "s"), "y", false))
                .output("y")
                .build());
        assertEquals("f32[?x20]", g.type("y").toString());
        Tensor bad = Tensor.ofInts(DType.I64, Shape.of(2), new int[] {7, 3});
        String m = error(x(4, 5).init("s", bad)
                .node(new ReshapeNode("rs_bad", List.of("x", "s"), "y", false))
                .output("y")
                .build());
        assertTrue(m.startsWith("Reshape node 'rs_bad': cannot reshape [4x5]"), m);
    }

    @Test
    void softmaxOnANonLastAxisBeforeOpset13IsRejected() {
        String m = error(x(2, 3, 4)
                .opset(12)
                .node(new SoftmaxNode("sm", List.of("x"), "y", 1))
                .output("y")
                .build());
        assertTrue(m.startsWith("Softmax node 'sm': before opset 13"), m);
    }

    @Test
    void inferringDoesNotTouchTheInput() {
        Graph raw = Fixtures.load(Fixtures.LENET);
        infer(raw);
        assertTrue(raw.types().isEmpty());
        assertEquals("f32[?x10]", raw.outputs().get(0).type().toString());
    }
}

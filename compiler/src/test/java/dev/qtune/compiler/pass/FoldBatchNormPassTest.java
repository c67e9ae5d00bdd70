package dev.qtune.compiler.pass;

import static dev.qtune.compiler.Fixtures.assertClose;
import static dev.qtune.compiler.Fixtures.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.Fixtures.GraphBuilder;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.ir.BatchNormNode;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.TensorType;
import dev.qtune.compiler.ir.Window2d;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FoldBatchNormPassTest {
    private static final List<String> BN_INPUTS = List.of("c", "bn_scale", "bn_bias", "bn_mean", "bn_var");

    /** Ready for FoldBatchNorm: typed and constants folded, as the pipeline would leave it. */
    private static Graph prepared(Graph g) {
        return PassPipeline.apply(new FoldConstantsPass(), PassPipeline.apply(new InferTypesPass(), g));
    }

    private static Graph fold(Graph g) {
        return PassPipeline.apply(new FoldBatchNormPass(), g);
    }

    /** BN parameters for {@code c} channels; small variances so that epsilon matters. */
    private static GraphBuilder withBnParams(GraphBuilder b, int c, long seed) {
        return b.init("bn_scale", random(seed, c))
                .init("bn_bias", random(seed + 1, c))
                .init("bn_mean", random(seed + 2, c))
                .init("bn_var", Tensor.ofFloats(Shape.of(c), Fixtures.uniform(seed + 3, c, 0.001f, 0.5f)));
    }

    private static long count(Graph g, Class<? extends Node> type) {
        return g.nodes().stream().filter(type::isInstance).count();
    }

    private static void assertSameOutputs(Graph expected, Graph actual, Tensor x, double tol) {
        String in = expected.inputs().get(0).name();
        Map<String, Tensor> e = new Fp32Interpreter(expected).run(Map.of(in, x));
        Map<String, Tensor> a = new Fp32Interpreter(actual).run(Map.of(in, x));
        assertEquals(e.keySet(), a.keySet());
        for (String out : e.keySet()) {
            assertEquals(e.get(out).shape(), a.get(out).shape(), out);
            assertClose(e.get(out).floats(), a.get(out).floats(), tol, out);
        }
    }

    @Test
    void resnet8FoldsEveryBatchNormAndKeepsItsLogits() {
        Graph unfolded = prepared(Fixtures.load(Fixtures.RESNET));
        Graph folded = fold(unfolded);
        assertEquals(9, count(unfolded, BatchNormNode.class));
        assertEquals(0, count(folded, BatchNormNode.class));
        assertEquals(9, count(folded, Conv2dNode.class));
        assertEquals(unfolded.nodes().size() - 9, folded.nodes().size());
        assertEquals(unfolded.outputs(), folded.outputs());

        float[] x = Fixtures.uniform(2024, 4 * 784, 0f, 1f);
        float[] before = new Fp32Interpreter(unfolded).run(x, 4).floats();
        float[] after = new Fp32Interpreter(folded).run(x, 4).floats();
        assertEquals(40, after.length);
        assertClose(before, after, 1e-4, "resnet8 logits");
    }

    private static Graph convBn(boolean bias, int group, float epsilon) {
        GraphBuilder b = new GraphBuilder("conv_bn")
                .input("x", TensorType.f32(Shape.DYNAMIC, 4, 6, 6))
                .init("w", random(1, 6, 4 / group, 3, 3));
        List<String> convIn = new ArrayList<>(List.of("x", "w"));
        if (bias) {
            b.init("b", random(2, 6));
            convIn.add("b");
        }
        return withBnParams(b, 6, 10)
                .node(new Conv2dNode("conv", convIn, "c", new Window2d(3, 3, 2, 1, 1, 0, 1, 2, 1, 1), group))
                .node(new BatchNormNode("bn", BN_INPUTS, "y", epsilon))
                .output("y")
                .build();
    }

    @Test
    void convWithBiasFoldsIntoOneConvWritingTheBnOutput() {
        Graph g = prepared(convBn(true, 1, 1e-3f));
        Graph f = fold(g);
        assertEquals(1, f.nodes().size());
        Conv2dNode conv = (Conv2dNode) f.nodes().get(0);
        assertEquals("conv", conv.name());
        assertEquals("y", conv.output());
        assertTrue(f.isInitializer(conv.weight()) && f.isInitializer(conv.bias().orElseThrow()));
        assertEquals(g.type("y"), f.type("y"));
        assertSameOutputs(g, f, random(3, 3, 4, 6, 6), 1e-5);
    }

    @Test
    void convWithoutBiasGetsOne() {
        Graph g = prepared(convBn(false, 1, 1e-5f));
        Graph f = fold(g);
        assertEquals(List.of("Conv"), f.nodes().stream().map(Node::opType).toList());
        assertTrue(((Conv2dNode) f.nodes().get(0)).bias().isPresent());
        assertSameOutputs(g, f, random(4, 5, 4, 6, 6), 1e-5);
    }

    @Test
    void groupedConvFoldsPerOutputChannel() {
        Graph g = prepared(convBn(true, 2, 1e-3f));
        Graph f = fold(g);
        assertEquals(0, count(f, BatchNormNode.class));
        assertSameOutputs(g, f, random(5, 2, 4, 6, 6), 1e-5);
    }

    private static Graph gemmBn(boolean transB, boolean withC, float alpha) {
        GraphBuilder b = new GraphBuilder("gemm_bn")
                .input("x", TensorType.f32(Shape.DYNAMIC, 5))
                .init("w", transB ? random(1, 7, 5) : random(1, 5, 7));
        List<String> in = new ArrayList<>(List.of("x", "w"));
        if (withC) {
            b.init("b", random(2, 7));
            in.add("b");
        }
        return withBnParams(b, 7, 20)
                .node(new GemmNode("fc", in, "c", alpha, 1f, false, transB))
                .node(new BatchNormNode("bn", BN_INPUTS, "y", 1e-3f))
                .output("y")
                .build();
    }

    @Test
    void gemmWithTransposedWeightFolds() {
        Graph g = prepared(gemmBn(true, true, 1f));
        Graph f = fold(g);
        assertEquals(List.of("Gemm"), f.nodes().stream().map(Node::opType).toList());
        GemmNode gemm = (GemmNode) f.nodes().get(0);
        assertTrue(gemm.transB());
        assertEquals("y", gemm.output());
        assertSameOutputs(g, f, random(6, 3, 5), 1e-5);
    }

    @Test
    void gemmWithPlainWeightAndNoBiasFolds() {
        Graph g = prepared(gemmBn(false, false, 1f));
        Graph f = fold(g);
        assertEquals(List.of("Gemm"), f.nodes().stream().map(Node::opType).toList());
        assertSameOutputs(g, f, random(7, 4, 5), 1e-5);
    }

    @Test
    void gemmWithAlphaIsLeftAlone() {
        Graph g = prepared(gemmBn(true, true, 0.5f));
        Graph f = fold(g);
        assertEquals(
                List.of("Gemm", "BatchNormalization"),
                f.nodes().stream().map(Node::opType).toList());
        assertSameOutputs(g, f, random(8, 3, 5), 0);
    }

    @Test
    void convOutputWithASecondReaderIsNotFolded() {
        // Folding would change what the Relu sees.
        Graph g = prepared(withBnParams(
                        new GraphBuilder("shared")
                                .input("x", TensorType.f32(Shape.DYNAMIC, 4, 6, 6))
                                .init("w", random(1, 6, 4, 3, 3))
                                .init("b", random(2, 6)),
                        6,
                        30)
                .node(new Conv2dNode("conv", List.of("x", "w", "b"), "c", Window2d.of(3, 3), 1))
                .node(new BatchNormNode("bn", BN_INPUTS, "y", 1e-5f))
                .node(new ReluNode("relu", "c", "z"))
                .output("y")
                .output("z")
                .build());
        Graph f = fold(g);
        assertEquals(g.nodes(), f.nodes());
        assertSameOutputs(g, f, random(9, 2, 4, 6, 6), 0);
    }

    @Test
    void convOutputThatIsAGraphOutputIsNotFolded() {
        Graph g = prepared(withBnParams(
                        new GraphBuilder("out")
                                .input("x", TensorType.f32(Shape.DYNAMIC, 4, 6, 6))
                                .init("w", random(1, 6, 4, 3, 3)),
                        6,
                        40)
                .node(new Conv2dNode("conv", List.of("x", "w"), "c", Window2d.of(3, 3), 1))
                .node(new BatchNormNode("bn", BN_INPUTS, "y", 1e-5f))
                .output("c")
                .output("y")
                .build());
        assertEquals(g.nodes(), fold(g).nodes());
    }

    @Test
    void batchNormWithComputedParametersIsNotFolded() {
        Graph g = prepared(new GraphBuilder("dyn")
                .input("x", TensorType.f32(Shape.DYNAMIC, 2, 4, 4))
                .input("scale", TensorType.f32(2))
                .init("w", random(1, 2, 2, 1, 1))
                .init("bn_bias", random(2, 2))
                .init("bn_mean", random(3, 2))
                .init("bn_var", Fixtures.tensor(new int[] {2}, 1f, 2f))
                .node(new Conv2dNode("conv", List.of("x", "w"), "c", Window2d.of(1, 1), 1))
                .node(new BatchNormNode("bn", List.of("c", "scale", "bn_bias", "bn_mean", "bn_var"), "y", 1e-5f))
                .output("y")
                .build());
        assertEquals(g.nodes(), fold(g).nodes());
    }

    @Test
    void batchNormAfterANonFoldableProducerStays() {
        Graph g = prepared(withBnParams(
                        new GraphBuilder("relu_bn").input("x", TensorType.f32(Shape.DYNAMIC, 3, 2, 2)), 3, 50)
                .node(new ReluNode("relu", "x", "c"))
                .node(new BatchNormNode("bn", BN_INPUTS, "y", 1e-5f))
                .output("y")
                .build());
        Graph f = fold(g);
        assertEquals(g.nodes(), f.nodes());
        assertFalse(f.applied().isEmpty());
    }

    @Test
    void foldingDoesNotTouchTheInputGraph() {
        Graph g = prepared(convBn(true, 1, 1e-3f));
        List<Node> before = List.copyOf(g.nodes());
        Map<String, Tensor> inits = Map.copyOf(g.initializers());
        fold(g);
        assertEquals(before, g.nodes());
        assertEquals(inits, g.initializers());
    }
}

package dev.qtune.compiler.pass;

import static dev.qtune.compiler.Fixtures.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.Fixtures.GraphBuilder;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.ir.BinaryNode;
import dev.qtune.compiler.ir.BinaryOp;
import dev.qtune.compiler.ir.ConstantNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.IdentityNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.ReshapeNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

class FoldConstantsPassTest {
    private static Graph foldConstants(Graph g) {
        return PassPipeline.apply(new FoldConstantsPass(), PassPipeline.apply(new InferTypesPass(), g));
    }

    private static List<String> ops(Graph g) {
        return g.nodes().stream().map(Node::opType).toList();
    }

    @Test
    void constantNodeBecomesAnInitializer() {
        Tensor k = Fixtures.tensor(new int[] {3}, 1f, -2f, 3f);
        Graph g = foldConstants(new GraphBuilder("g")
                .input("x", TensorType.f32(Shape.DYNAMIC, 3))
                .node(new ConstantNode("k", k, "kv"))
                .node(new BinaryNode("add", BinaryOp.ADD, List.of("x", "kv"), "y"))
                .output("y")
                .build());
        assertEquals(List.of("Add"), ops(g));
        assertSame(k, g.initializers().get("kv"));
        assertEquals("f32[?x3]", g.type("y").toString());
    }

    @Test
    void resnet8IdentitiesOfInitializersBecomeInitializers() {
        Graph raw = Fixtures.load(Fixtures.RESNET);
        Graph g = foldConstants(raw);
        assertEquals(
                2, raw.nodes().stream().filter(n -> n instanceof IdentityNode).count());
        assertEquals(
                0, g.nodes().stream().filter(n -> n instanceof IdentityNode).count());
        assertEquals(raw.nodes().size() - 2, g.nodes().size());
        for (String[] alias : new String[][] {
            {"layer2.shortcut.1.bias", "layer2.bn2.bias"}, {"layer3.shortcut.1.bias", "layer3.bn2.bias"}
        }) {
            assertTrue(g.isInitializer(alias[0]), alias[0]);
            assertEquals(raw.initializers().get(alias[1]), g.initializers().get(alias[0]));
        }
        float[] x = Fixtures.uniform(1, 784, 0f, 1f);
        assertArrayEquals(
                new Fp32Interpreter(raw).run(x, 1).floats(),
                new Fp32Interpreter(g).run(x, 1).floats());
    }

    @Test
    void arithmeticOnConstantsIsEvaluatedAndChainsFold() {
        Tensor a = random(1, 2, 3);
        Tensor b = random(2, 3);
        Graph g = foldConstants(new GraphBuilder("g")
                .input("x", TensorType.f32(2, 3))
                .init("a", a)
                .init("b", b)
                .node(new BinaryNode("mul", BinaryOp.MUL, List.of("a", "b"), "ab"))
                .node(new ReluNode("relu_c", "ab", "c"))
                .node(new BinaryNode("add", BinaryOp.ADD, List.of("x", "c"), "y"))
                .output("y")
                .build());
        assertEquals(List.of("Add"), ops(g));
        float[] c = g.initializers().get("c").floats();
        for (int i = 0; i < 6; i++) {
            assertEquals(Math.max(0f, a.floats()[i] * b.floats()[i % 3]), c[i]);
        }
        assertEquals("f32[2x3]", g.type("c").toString());
    }

    @Test
    void nodesReadingGraphInputsStay() {
        Graph raw = new GraphBuilder("g")
                .input("x", TensorType.f32(2))
                .init("w", random(1, 2))
                .node(new BinaryNode("add", BinaryOp.ADD, List.of("x", "w"), "y"))
                .output("y")
                .build();
        assertEquals(raw.nodes(), foldConstants(raw).nodes());
    }

    /** A Reshape whose shape is a Constant node (not an initializer) must type before FoldConstants runs. */
    @Test
    void integerShapeArithmeticIsNotFoldedWithFp32Kernels() {
        Tensor shape = Tensor.ofInts(DType.I64, Shape.of(2), new int[] {3, 2});
        Graph g = foldConstants(new GraphBuilder("g")
                .input("x", TensorType.f32(2, 3))
                .init("w", random(1, 2, 3))
                .node(new ConstantNode("shape_const", shape, "s"))
                .node(new ReshapeNode("rs", List.of("w", "s"), "w2", false))
                .node(new ReshapeNode("rx", List.of("x", "s"), "y", false))
                .output("y")
                .build());
        assertEquals(List.of("Reshape", "Reshape"), ops(g));
        assertEquals(shape, g.initializers().get("s"));
        assertEquals("f32[3x2]", g.type("y").toString());
    }
}

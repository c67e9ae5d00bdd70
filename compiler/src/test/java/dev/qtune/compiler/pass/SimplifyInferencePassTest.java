package dev.qtune.compiler.pass;

import static dev.qtune.compiler.Fixtures.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures.GraphBuilder;
import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.ir.BinaryNode;
import dev.qtune.compiler.ir.BinaryOp;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.DropoutNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.GraphVerifier;
import dev.qtune.compiler.ir.IdentityNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.TensorType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimplifyInferencePassTest {
    private static final TensorType X = TensorType.f32(Shape.DYNAMIC, 3);

    private static Graph simplify(Graph g) {
        return PassPipeline.apply(new SimplifyInferencePass(), PassPipeline.apply(new InferTypesPass(), g));
    }

    private static List<String> ops(Graph g) {
        return g.nodes().stream().map(Node::opType).toList();
    }

    /** Both graphs give the same values for every graph output on a seeded input. */
    private static void assertSameOutputs(Graph before, Graph after) {
        Tensor x = random(7, 2, 3);
        Map<String, Tensor> e = new Fp32Interpreter(before).run(Map.of("x", x));
        Map<String, Tensor> a = new Fp32Interpreter(after).run(Map.of("x", x));
        assertEquals(e.keySet(), a.keySet());
        e.forEach((name, t) -> assertArrayEquals(t.floats(), a.get(name).floats(), name));
    }

    @Test
    void identityAndDropoutInsideTheGraphAreRemoved() {
        Graph g = new GraphBuilder("g")
                .input("x", X)
                .node(new IdentityNode("id", List.of("x"), "a"))
                .node(new ReluNode("relu1", "a", "b"))
                .node(new DropoutNode("drop", List.of("b"), List.of("c")))
                .node(new IdentityNode("id2", List.of("c"), "d"))
                .node(new ReluNode("relu2", "d", "y"))
                .output("y")
                .build();
        Graph s = simplify(g);
        assertEquals(List.of("Relu", "Relu"), ops(s));
        assertEquals(List.of("x"), s.nodes().get(0).inputs());
        assertEquals(List.of("b"), s.nodes().get(1).inputs(), "chains of removed nodes resolve to the first input");
        assertEquals("f32[?x3]", s.outputs().get(0).type().toString());
        assertSameOutputs(g, s);
    }

    @Test
    void dropoutWithAnUnusedMaskIsRemoved() {
        Graph g = new GraphBuilder("g")
                .input("x", X)
                .init("ratio", Tensor.scalar(0.5f))
                .node(new DropoutNode("drop", List.of("x", "ratio"), List.of("d", "mask")))
                .node(new ReluNode("relu", "d", "y"))
                .output("y")
                .build();
        Graph s = simplify(g);
        assertEquals(List.of("Relu"), ops(s));
        assertEquals(List.of("x"), s.nodes().get(0).inputs());
    }

    @Test
    void dropoutWhoseMaskIsAGraphOutputIsKept() {
        Graph g = new GraphBuilder("g")
                .input("x", X)
                .node(new DropoutNode("drop", List.of("x"), List.of("d", "mask")))
                .node(new ReluNode("relu", "d", "y"))
                .output("y")
                .output("mask", new TensorType(DType.U8, Shape.of(Shape.DYNAMIC, 3)))
                .build();
        Graph s = simplify(g);
        assertEquals(List.of("Dropout", "Relu"), ops(s));
        assertEquals(List.of("y", "mask"), s.outputNames());
        assertEquals("f32[?x3]", s.type("y").toString());
        GraphVerifier.verify(s);
    }

    @Test
    void readingADropoutMaskIsAClearTypeError() {
        Graph g = new GraphBuilder("g")
                .input("x", X)
                .node(new DropoutNode("drop", List.of("x"), List.of("d", "mask")))
                .node(new ReluNode("uses_mask", "mask", "y"))
                .output("y")
                .build();
        QtuneException e = assertThrows(QtuneException.class, () -> PassPipeline.apply(new InferTypesPass(), g));
        assertTrue(
                e.getMessage().startsWith("Relu node 'uses_mask' reads 'mask', whose type is unknown"), e.getMessage());
    }

    @Test
    void identityWritingAGraphOutputIsRemovedAndTheOutputNameKept() {
        Graph g = new GraphBuilder("g")
                .input("x", X)
                .node(new ReluNode("relu", "x", "h"))
                .node(new IdentityNode("out_id", List.of("h"), "y"))
                .output("y")
                .build();
        Graph s = simplify(g);
        assertEquals(List.of("y"), s.outputNames());
        assertEquals(List.of("Relu"), ops(s));
        assertEquals("y", s.nodes().get(0).output(), "the producer writes the graph output directly");
        assertEquals("f32[?x3]", s.outputs().get(0).type().toString());
        GraphVerifier.verify(s);
        assertSameOutputs(g, s);
    }

    @Test
    void identityWritingAGraphOutputFromAValueWithOtherReadersStaysCorrect() {
        Graph g = new GraphBuilder("g")
                .input("x", X)
                .node(new ReluNode("relu", "x", "h"))
                .node(new IdentityNode("out_id", List.of("h"), "y"))
                .node(new BinaryNode("add", BinaryOp.ADD, List.of("h", "x"), "z"))
                .output("y")
                .output("z")
                .build();
        Graph s = simplify(g);
        assertEquals(List.of("y", "z"), s.outputNames());
        assertEquals(List.of("Relu", "Add"), ops(s));
        assertEquals(List.of("y", "x"), s.nodes().get(1).inputs(), "the other reader follows the renamed value");
        GraphVerifier.verify(s);
        assertSameOutputs(g, s);
    }

    @Test
    void identityFromAGraphInputToAGraphOutputIsKept() {
        Graph g = new GraphBuilder("g")
                .input("x", X)
                .node(new IdentityNode("id", List.of("x"), "y"))
                .output("y")
                .build();
        Graph s = simplify(g);
        assertEquals(List.of("y"), s.outputNames());
        GraphVerifier.verify(s);
        assertSameOutputs(g, s);
    }

    @Test
    void graphWithoutIdentitiesIsUnchanged() {
        Graph g = new GraphBuilder("g")
                .input("x", X)
                .node(new ReluNode("relu", "x", "y"))
                .output("y")
                .build();
        assertEquals(g.nodes(), simplify(g).nodes());
    }
}

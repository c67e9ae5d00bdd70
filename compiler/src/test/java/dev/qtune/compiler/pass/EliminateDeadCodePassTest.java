package dev.qtune.compiler.pass;

import static dev.qtune.compiler.Fixtures.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.Fixtures.GraphBuilder;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.ir.BinaryNode;
import dev.qtune.compiler.ir.BinaryOp;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.TensorType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EliminateDeadCodePassTest {
    private static Graph eliminate(Graph g) {
        return PassPipeline.apply(new EliminateDeadCodePass(), PassPipeline.apply(new InferTypesPass(), g));
    }

    private static Graph branchy() {
        return new GraphBuilder("g")
                .input("x", TensorType.f32(Shape.DYNAMIC, 3))
                .init("w_live", random(1, 3))
                .init("w_dead", random(2, 3))
                .init("never_read", random(3, 5))
                .node(new BinaryNode("add", BinaryOp.ADD, List.of("x", "w_live"), "a"))
                .node(new BinaryNode("dead_mul", BinaryOp.MUL, List.of("a", "w_dead"), "d1"))
                .node(new ReluNode("dead_relu", "d1", "d2"))
                .node(new ReluNode("relu", "a", "y"))
                .output("y")
                .build();
    }

    @Test
    void unusedBranchAndItsInitializersGo() {
        Graph g = eliminate(branchy());
        assertEquals(List.of("add", "relu"), g.nodes().stream().map(Node::name).toList());
        assertEquals(List.of("w_live"), List.copyOf(g.initializers().keySet()));
        assertFalse(g.types().containsKey("d1")
                || g.types().containsKey("d2")
                || g.types().containsKey("w_dead"));
        assertTrue(g.types().containsKey("x")
                && g.types().containsKey("a")
                && g.types().containsKey("y"));
        assertEquals(List.of("x"), g.inputs().stream().map(v -> v.name()).toList(), "graph inputs stay");
    }

    @Test
    void resultIsUnchanged() {
        Graph before = branchy();
        Graph after = eliminate(before);
        Tensor x = random(4, 2, 3);
        assertEquals(new Fp32Interpreter(before).run(Map.of("x", x)), new Fp32Interpreter(after).run(Map.of("x", x)));
    }

    @Test
    void valueReadByALiveNodeKeepsItsProducer() {
        Graph g = eliminate(new GraphBuilder("g")
                .input("x", TensorType.f32(2))
                .node(new ReluNode("r1", "x", "a"))
                .node(new ReluNode("r2", "a", "b"))
                .node(new BinaryNode("add", BinaryOp.ADD, List.of("a", "b"), "y"))
                .output("y")
                .build());
        assertEquals(3, g.nodes().size());
    }

    @Test
    void everyOutputKeepsItsCone() {
        Graph g = eliminate(new GraphBuilder("g")
                .input("x", TensorType.f32(2))
                .init("c", random(5, 2))
                .node(new ReluNode("r1", "x", "y1"))
                .node(new ReluNode("r2", "x", "unused"))
                .output("y1")
                .output("c")
                .build());
        assertEquals(List.of("r1"), g.nodes().stream().map(Node::name).toList());
        assertEquals(
                List.of("c"), List.copyOf(g.initializers().keySet()), "an initializer that is a graph output stays");
    }

    @Test
    void referenceModelsHaveNoDeadCode() {
        Graph raw = Fixtures.load(Fixtures.LENET);
        Graph g = eliminate(raw);
        assertEquals(raw.nodes(), g.nodes());
        assertEquals(raw.initializers().keySet(), g.initializers().keySet());
    }
}

package dev.qtune.compiler.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.Fixtures.GraphBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphVerifierTest {
    private static GraphBuilder base() {
        return new GraphBuilder("g").input("x", TensorType.f32(2, 3)).init("w", Fixtures.random(1, 2, 3));
    }

    private static String failure(Graph g) {
        return assertThrows(IllegalStateException.class, () -> GraphVerifier.verify(g))
                .getMessage();
    }

    @Test
    void validGraphIsReturnedAsIs() {
        Graph g = base().node(new BinaryNode("add", BinaryOp.ADD, List.of("x", "w"), "s"))
                .node(new ReluNode("relu", "s", "y"))
                .output("y")
                .build();
        assertSame(g, GraphVerifier.verify(g));
    }

    @Test
    void readOfAnUndefinedValueNamesNodeAndValue() {
        Graph g = base().node(new BinaryNode("add", BinaryOp.ADD, List.of("x", "nowhere"), "y"))
                .output("y")
                .build();
        assertEquals(
                "invalid graph 'g': Add node 'add' reads 'nowhere', which no graph input, initializer or earlier "
                        + "node defines",
                failure(g));
    }

    @Test
    void readBeforeDefinitionIsCaught() {
        Graph g = base().node(new ReluNode("second", "h", "y"))
                .node(new ReluNode("first", "x", "h"))
                .output("y")
                .build();
        assertEquals(
                "invalid graph 'g': Relu node 'second' reads 'h', which no graph input, initializer or earlier "
                        + "node defines",
                failure(g));
    }

    @Test
    void valueDefinedByTwoNodesIsCaught() {
        Graph g = base().node(new ReluNode("r1", "x", "h"))
                .node(new ReluNode("r2", "x", "h"))
                .output("h")
                .build();
        assertEquals("invalid graph 'g': value 'h' is defined twice (again by Relu node 'r2')", failure(g));
    }

    @Test
    void nodeOverwritingAGraphInputIsCaught() {
        Graph g = base().node(new ReluNode("r", "w", "x")).output("x").build();
        assertEquals("invalid graph 'g': value 'x' is defined twice (again by Relu node 'r')", failure(g));
    }

    @Test
    void nodeOverwritingAnInitializerIsCaught() {
        Graph g = base().node(new ReluNode("r", "x", "w")).output("w").build();
        assertEquals("invalid graph 'g': value 'w' is defined twice (again by Relu node 'r')", failure(g));
    }

    @Test
    void initializerMayGiveAGraphInputItsDefault() {
        // ONNX (IR >= 4) allows an initializer with the name of a graph input.
        Graph g = base().init("x", Fixtures.random(2, 2, 3))
                .node(new ReluNode("r", "x", "y"))
                .output("y")
                .build();
        assertSame(g, GraphVerifier.verify(g));
    }

    @Test
    void duplicateNodeNamesAreCaught() {
        Graph g = base().node(new ReluNode("relu", "x", "h"))
                .node(new ReluNode("relu", "h", "y"))
                .output("y")
                .build();
        assertEquals("invalid graph 'g': two nodes are named 'relu'", failure(g));
    }

    @Test
    void undefinedGraphOutputIsCaught() {
        Graph g = base().node(new ReluNode("r", "x", "y")).output("z").build();
        assertEquals(
                "invalid graph 'g': graph output 'z' is not defined by any node, input or initializer", failure(g));
    }

    @Test
    void absentOptionalInputIsAllowed() {
        Graph g = base().node(new ClipNode("clip", List.of("x", "", "w"), "y"))
                .output("y")
                .build();
        assertSame(g, GraphVerifier.verify(g));
    }

    @Test
    void referenceModelsVerify() {
        for (String m : List.of(Fixtures.MLP, Fixtures.LENET, Fixtures.RESNET)) {
            Graph g = Fixtures.load(m);
            assertSame(g, GraphVerifier.verify(g), m);
        }
    }
}

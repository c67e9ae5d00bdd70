package dev.qtune.compiler.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The node records' compact constructors reject bad arguments with a message that names the node. */
class NodeRecordsTest {
    private static final Window2d K3 = Window2d.of(3, 3);

    private static void rejects(String expected, Executable make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }

    @Test
    void inputCountIsCheckedPerOp() {
        rejects(
                "Conv node 'c' must have 2 to 3 inputs, but had 1",
                () -> new Conv2dNode("c", List.of("x"), "y", K3, 1));
        rejects(
                "Gemm node 'g' must have 2 to 3 inputs, but had 4",
                () -> new GemmNode("g", List.of("a", "b", "c", "d"), "y", 1f, 1f, false, false));
        rejects(
                "BatchNormalization node 'bn' must have 5 inputs, but had 3",
                () -> new BatchNormNode("bn", List.of("x", "s", "b"), "y", 1e-5f));
        rejects("Relu node 'r' must have 1 inputs, but had 2", () -> new ReluNode("r", List.of("x", "z"), "y"));
        rejects(
                "Add node 'a' must have 2 inputs, but had 1",
                () -> new BinaryNode("a", BinaryOp.ADD, List.of("x"), "y"));
        rejects("Concat node 'cat' must have 1 to", () -> new ConcatNode("cat", List.of(), "y", 1));
        rejects(
                "Reshape node 'rs' must have 2 inputs, but had 1",
                () -> new ReshapeNode("rs", List.of("x"), "y", false));
        rejects(
                "Clip node 'clip' must have 1 to 3 inputs, but had 4",
                () -> new ClipNode("clip", List.of("x", "a", "b", "c"), "y"));
        rejects(
                "Constant node 'k' must have 0 inputs, but had 1",
                () -> new ConstantNode("k", Tensor.scalar(1f), "y").withInputs(List.of("x")));
    }

    @Test
    void namesAndOutputsMustBeNonEmpty() {
        rejects("Relu node name must be non-empty, but was ''", () -> new ReluNode("", "x", "y"));
        rejects("Relu node name must be non-empty, but was 'null'", () -> new ReluNode(null, "x", "y"));
        rejects("Relu node 'r' output must be non-empty", () -> new ReluNode("r", "x", ""));
        rejects(
                "Gemm node 'g' output must be non-empty",
                () -> new GemmNode("g", List.of("a", "b"), null, 1, 1, false, false));
        rejects("Relu node 'r' input 0 must not be null", () -> new ReluNode("r", Arrays.asList((String) null), "y"));
    }

    @Test
    void attributesAreChecked() {
        rejects("Conv node 'c' group must be > 0, but was 0", () -> new Conv2dNode("c", List.of("x", "w"), "y", K3, 0));
        rejects(
                "BatchNormalization node 'bn' epsilon must be >= 0, but was -1.0",
                () -> new BatchNormNode("bn", List.of("x", "s", "b", "m", "v"), "y", -1f));
        rejects(
                "BatchNormalization node 'bn' epsilon must be >= 0, but was NaN",
                () -> new BatchNormNode("bn", List.of("x", "s", "b", "m", "v"), "y", Float.NaN));
        rejects(
                "AveragePool node 'ap' dilations must be 1, but were 2x1",
                () -> new AvgPool2dNode(
                        "ap", List.of("x"), "y", new Window2d(2, 2, 1, 1, 0, 0, 0, 0, 2, 1), false, false));
        rejects("binary node 'b' op must not be null", () -> new BinaryNode("b", null, List.of("x", "z"), "y"));
        rejects(
                "Dropout node 'd' must have 1 or 2 outputs, but had [y, m, z]",
                () -> new DropoutNode("d", List.of("x"), List.of("y", "m", "z")));
        rejects(
                "Dropout node 'd' must have 1 or 2 outputs, but had []",
                () -> new DropoutNode("d", List.of("x"), List.of()));
    }

    @Test
    void missingWindowOrValueIsRejectedNamingTheNode() {
        rejects("Conv node 'c' window must not be null", () -> new Conv2dNode("c", List.of("x", "w"), "y", null, 1));
        rejects(
                "MaxPool node 'mp' window must not be null",
                () -> new MaxPool2dNode("mp", List.of("x"), "y", null, false));
        rejects(
                "AveragePool node 'ap' window must not be null",
                () -> new AvgPool2dNode("ap", List.of("x"), "y", null, false, false));
        rejects("Constant node 'k' value must not be null", () -> new ConstantNode("k", null, "y"));
    }

    @Test
    void inputListsAreCopied() {
        List<String> ins = new ArrayList<>(List.of("x", "w"));
        Conv2dNode c = new Conv2dNode("c", ins, "y", K3, 1);
        ins.set(0, "changed");
        assertEquals(List.of("x", "w"), c.inputs());
        assertThrows(UnsupportedOperationException.class, () -> c.inputs().add("b"));
    }

    @Test
    void optionalInputsAndAccessors() {
        Conv2dNode c = new Conv2dNode("c", List.of("x", "w", ""), "y", K3, 1);
        assertEquals(Optional.empty(), c.bias());
        assertEquals(Optional.of("b"), new Conv2dNode("c", List.of("x", "w", "b"), "y", K3, 1).bias());
        ClipNode clip = new ClipNode("clip", List.of("x", "", "hi"), "y");
        assertEquals(Optional.empty(), clip.min());
        assertEquals(Optional.of("hi"), clip.max());
        GemmNode g = new GemmNode("g", List.of("a", "b"), "y", 1, 1, false, true);
        assertEquals(Optional.empty(), g.c());
        BatchNormNode bn = new BatchNormNode("bn", List.of("x", "s", "b", "m", "v"), "y", 1e-5f);
        assertEquals(
                List.of("x", "s", "b", "m", "v"), List.of(bn.input(), bn.scale(), bn.bias(), bn.mean(), bn.variance()));
        DropoutNode d = new DropoutNode("d", List.of("x"), List.of("y", "mask"));
        assertEquals("y", d.output());
        assertEquals("Sub", new BinaryNode("s", BinaryOp.SUB, List.of("a", "b"), "y").opType());
    }

    @Test
    void withInputsKeepsEverythingElse() {
        Conv2dNode c = new Conv2dNode("c", List.of("x", "w", "b"), "y", new Window2d(3, 3, 2, 2, 1, 1, 1, 1, 1, 1), 2);
        Conv2dNode moved = c.withInputs(List.of("x2", "w2", "b2"));
        assertEquals(new Conv2dNode("c", List.of("x2", "w2", "b2"), "y", c.window(), 2), moved);
        rejects("Conv node 'c' must have 2 to 3 inputs, but had 1", () -> c.withInputs(List.of("x")));
    }

    @Test
    void multiOutputNodeHasNoSingleOutput() {
        Node twoOut = new Node() {
            public String name() {
                return "split";
            }

            public String opType() {
                return "Split";
            }

            public List<String> inputs() {
                return List.of("x");
            }

            public List<String> outputs() {
                return List.of("a", "b");
            }

            public Node withInputs(List<String> newInputs) {
                return this;
            }
        };
        assertEquals(
                "Split node 'split' has 2 outputs",
                assertThrows(IllegalStateException.class, twoOut::output).getMessage());
    }
}

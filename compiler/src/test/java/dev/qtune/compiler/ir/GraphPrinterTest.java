package dev.qtune.compiler.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.Fixtures.GraphBuilder;
import dev.qtune.compiler.pass.InferTypesPass;
import dev.qtune.compiler.pass.PassPipeline;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphPrinterTest {
    @Test
    void printsATinyGraphLineByLine() {
        Graph g = new GraphBuilder("tiny")
                .input("x", TensorType.f32(Shape.DYNAMIC, 3, 8, 8))
                .init("w", Fixtures.random(1, 4, 3, 3, 3))
                .node(new Conv2dNode("conv", List.of("x", "w"), "c", new Window2d(3, 3, 2, 2, 1, 1, 1, 1, 1, 1), 1))
                .node(new ReluNode("relu", "c", "y"))
                .output("y")
                .build();
        String typed = GraphPrinter.print(PassPipeline.apply(new InferTypesPass(), g));
        assertEquals(
                String.join(
                        "\n",
                        "graph tiny (opset 13)",
                        "  input  %x: f32[?x3x8x8]",
                        "  const  %w: f32[4x3x3x3]",
                        "  %c = Conv(%x, %w) {k3x3 s2x2 p1,1,1,1}  # conv -> f32[?x4x4x4]",
                        "  %y = Relu(%c)  # relu -> f32[?x4x4x4]",
                        "  output %y: f32[?x4x4x4]",
                        ""),
                typed);
    }

    @Test
    void untypedGraphPrintsWithoutShapesAndMarksAbsentInputs() {
        Graph g = new GraphBuilder("u")
                .input("x", TensorType.f32(2, 2))
                .node(new ClipNode("clip", List.of("x", "", "hi"), "y"))
                .init("hi", Tensor.scalar(6f))
                .output("y")
                .build();
        String text = GraphPrinter.print(g);
        assertTrue(text.contains("  %y = Clip(%x, _, %hi)  # clip\n"), text);
    }

    @Test
    void lenetPrintoutNamesEveryOpAndShape() {
        Graph g = PassPipeline.apply(new InferTypesPass(), Fixtures.load(Fixtures.LENET));
        String text = GraphPrinter.print(g);
        for (String expected : List.of(
                "input  %input: f32[?x1x28x28]",
                "= Sub(",
                "= Div(",
                "= Conv(",
                "= MaxPool(",
                "= Flatten(",
                "= Gemm(",
                "{k5x5 s1x1 p2,2,2,2}",
                "{k2x2 s2x2 p0,0,0,0}",
                "transB=true",
                "axis=1",
                "-> f32[?x6x28x28]",
                "-> f32[?x6x14x14]",
                "-> f32[?x16x10x10]",
                "-> f32[?x16x5x5]",
                "-> f32[?x400]",
                "-> f32[?x120]",
                "-> f32[?x84]",
                "output %logits: f32[?x10]")) {
            assertTrue(text.contains(expected), "missing '" + expected + "' in\n" + text);
        }
        assertEquals(1 + 1 + g.initializers().size() + g.nodes().size() + 1, text.split("\n").length);
    }

    @Test
    void attributesOfEachNodeKind() {
        Window2d w = new Window2d(2, 2, 2, 2, 0, 0, 1, 1, 1, 1);
        assertEquals(
                "k2x2 s2x2 p0,0,1,1 ceil count_include_pad",
                GraphPrinter.attributes(new AvgPool2dNode("p", List.of("x"), "y", w, true, true)));
        assertEquals(
                "k2x2 s2x2 p0,0,1,1", GraphPrinter.attributes(new MaxPool2dNode("p", List.of("x"), "y", w, false)));
        assertEquals(
                "alpha=0.5 beta=2.0 transA=true transB=false",
                GraphPrinter.attributes(new GemmNode("g", List.of("a", "b"), "y", 0.5f, 2f, true, false)));
        assertEquals(
                "k3x3 s1x1 p0,0,0,0 group=4",
                GraphPrinter.attributes(new Conv2dNode("c", List.of("x", "w"), "y", Window2d.of(3, 3), 4)));
        assertEquals(
                "epsilon=0.001",
                GraphPrinter.attributes(new BatchNormNode("bn", List.of("x", "s", "b", "m", "v"), "y", 1e-3f)));
        assertEquals("axis=-1", GraphPrinter.attributes(new ConcatNode("c", List.of("a", "b"), "y", -1)));
        assertEquals("value=f32[]", GraphPrinter.attributes(new ConstantNode("k", Tensor.scalar(1f), "y")));
        assertEquals("", GraphPrinter.attributes(new ReluNode("r", "x", "y")));
    }
}

package dev.qtune.compiler.interp;

import static dev.qtune.compiler.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.Fixtures.GraphBuilder;
import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.TensorType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Fp32InterpreterTest {
    @ParameterizedTest
    @ValueSource(strings = {Fixtures.MLP, Fixtures.LENET, Fixtures.RESNET})
    void batchOfFiveGivesEachImageItsOwnLogits(String model) {
        Graph g = Fixtures.load(model);
        Fp32Interpreter interp = new Fp32Interpreter(g);
        float[] x = Fixtures.uniform(model.hashCode(), 5 * 784, 0f, 1f);
        Tensor batched = interp.run(x, 5);
        Fixtures.assertShape(batched, 5, 10);
        for (int i = 0; i < 5; i++) {
            float[] one = Arrays.copyOfRange(x, i * 784, (i + 1) * 784);
            float[] alone = interp.run(one, 1).floats();
            float[] row = Arrays.copyOfRange(batched.floats(), i * 10, (i + 1) * 10);
            assertClose(alone, row, 1e-5, model + " image " + i);
        }
    }

    @Test
    void differentImagesGiveDifferentLogits() {
        Fp32Interpreter interp = new Fp32Interpreter(Fixtures.load(Fixtures.LENET));
        float[] a = interp.run(Fixtures.uniform(1, 784, 0f, 1f), 1).floats();
        float[] b = interp.run(Fixtures.uniform(2, 784, 0f, 1f), 1).floats();
        assertTrue(!Arrays.equals(a, b));
    }

    @Test
    void wrongInputLengthNamesTheInputAndShape() {
        Fp32Interpreter interp = new Fp32Interpreter(Fixtures.load(Fixtures.MLP));
        QtuneException e = assertThrows(QtuneException.class, () -> interp.run(new float[785], 1));
        assertEquals("input data for 'input' must have 784 values ([1x1x28x28]), but has 785", e.getMessage());
    }

    @Test
    void missingFeedIsNamed() {
        Graph g = new GraphBuilder("g")
                .input("x", TensorType.f32(2))
                .node(new ReluNode("r", "x", "y"))
                .output("y")
                .build();
        QtuneException e = assertThrows(QtuneException.class, () -> new Fp32Interpreter(g).run(Map.of()));
        assertEquals("graph input 'x' was not fed", e.getMessage());
    }

    @Test
    void everyGraphOutputIsReturnedEvenWhenAlsoReadInside() {
        Graph g = new GraphBuilder("g")
                .input("x", TensorType.f32(Shape.DYNAMIC, 2))
                .node(new ReluNode("r1", "x", "h"))
                .node(new ReluNode("r2", "h", "y"))
                .output("h")
                .output("y")
                .build();
        Map<String, Tensor> out = new Fp32Interpreter(g).run(Map.of("x", Fixtures.tensor(new int[] {1, 2}, -1f, 2f)));
        assertEquals(List.of("h", "y"), List.copyOf(out.keySet()));
        assertEquals(Fixtures.tensor(new int[] {1, 2}, 0f, 2f), out.get("h"));
        assertEquals(Fixtures.tensor(new int[] {1, 2}, 0f, 2f), out.get("y"));
    }

    @Test
    void unknownNodeTypeHasNoKernel() {
        Node odd = new Node() {
            public String name() {
                return "odd";
            }

            public String opType() {
                return "Odd";
            }

            public List<String> inputs() {
                return List.of("x");
            }

            public List<String> outputs() {
                return List.of("y");
            }

            public Node withInputs(List<String> in) {
                return this;
            }
        };
        QtuneException e = assertThrows(QtuneException.class, () -> Fp32Kernels.kernel(odd));
        assertEquals("Odd node 'odd' has no fp32 kernel", e.getMessage());
    }
}

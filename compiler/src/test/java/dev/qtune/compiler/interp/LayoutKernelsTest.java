package dev.qtune.compiler.interp;

import static dev.qtune.compiler.Fixtures.assertClose;
import static dev.qtune.compiler.Fixtures.assertShape;
import static dev.qtune.compiler.Fixtures.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.ConcatNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.FlattenNode;
import dev.qtune.compiler.ir.ReshapeNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.SoftmaxNode;
import dev.qtune.compiler.ir.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Concat, Softmax, Flatten and Reshape against naive index arithmetic. */
class LayoutKernelsTest {
    /** Concatenation by multi-index: element (outer, j, inner) of the output comes from the input holding j. */
    private static double[] referenceConcat(List<Tensor> ins, int axis) {
        Shape first = ins.get(0).shape();
        int outer = first.product(0, axis);
        int inner = first.product(axis + 1, first.rank());
        int total = ins.stream().mapToInt(t -> t.shape().dim(axis)).sum();
        double[] y = new double[outer * total * inner];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < total; j++) {
                int which = 0;
                int local = j;
                while (local >= ins.get(which).shape().dim(axis)) {
                    local -= ins.get(which).shape().dim(axis);
                    which++;
                }
                Tensor t = ins.get(which);
                int len = t.shape().dim(axis);
                for (int i = 0; i < inner; i++) {
                    y[(o * total + j) * inner + i] = t.floats()[(o * len + local) * inner + i];
                }
            }
        }
        return y;
    }

    @Test
    void concatOnAxis1() {
        List<Tensor> ins = List.of(random(1, 2, 1, 3, 2), random(2, 2, 3, 3, 2), random(3, 2, 2, 3, 2));
        Tensor y = KernelRunner.run(new ConcatNode("cat", List.of("a", "b", "c"), "y", 1), ins.toArray(Tensor[]::new));
        assertShape(y, 2, 6, 3, 2);
        assertClose(referenceConcat(ins, 1), y.floats(), 0, "concat axis 1");
    }

    @Test
    void concatOnAxisMinus1() {
        List<Tensor> ins = List.of(random(4, 2, 3, 1), random(5, 2, 3, 4));
        Tensor y = KernelRunner.run(new ConcatNode("cat", List.of("a", "b"), "y", -1), ins.toArray(Tensor[]::new));
        assertShape(y, 2, 3, 5);
        assertClose(referenceConcat(ins, 2), y.floats(), 0, "concat axis -1");
    }

    @Test
    void concatOnAxis0AppendsBlocks() {
        Tensor a = random(6, 1, 3);
        Tensor b = random(7, 2, 3);
        float[] y = KernelRunner.run(new ConcatNode("cat", List.of("a", "b"), "y", 0), a, b)
                .floats();
        float[] expected = new float[9];
        System.arraycopy(a.floats(), 0, expected, 0, 3);
        System.arraycopy(b.floats(), 0, expected, 3, 6);
        assertArrayEquals(expected, y);
    }

    private static double[] referenceSoftmax(Tensor x, int axis) {
        Shape s = x.shape();
        int outer = s.product(0, axis);
        int len = s.dim(axis);
        int inner = s.product(axis + 1, s.rank());
        double[] y = new double[x.numel()];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double sum = 0;
                for (int k = 0; k < len; k++) {
                    sum += Math.exp(x.floats()[(o * len + k) * inner + i]);
                }
                for (int k = 0; k < len; k++) {
                    y[(o * len + k) * inner + i] = Math.exp(x.floats()[(o * len + k) * inner + i]) / sum;
                }
            }
        }
        return y;
    }

    @Test
    void softmaxOnTheLastAxis() {
        Tensor x = random(8, 4, 10);
        Tensor y = KernelRunner.run(new SoftmaxNode("sm", List.of("x"), "y", -1), x);
        assertShape(y, 4, 10);
        assertClose(referenceSoftmax(x, 1), y.floats(), 1e-6, "softmax -1");
    }

    @Test
    void softmaxOnAMiddleAxis() {
        Tensor x = random(9, 2, 5, 3);
        Tensor y = KernelRunner.run(new SoftmaxNode("sm", List.of("x"), "y", 1), x);
        assertClose(referenceSoftmax(x, 1), y.floats(), 1e-6, "softmax 1");
    }

    @Test
    void softmaxIsStableForLargeLogits() {
        Tensor x = Fixtures.tensor(new int[] {2, 3}, 1000f, 1001f, 1002f, -1000f, -1000f, -1000f);
        float[] y = KernelRunner.run(new SoftmaxNode("sm", List.of("x"), "y", -1), x)
                .floats();
        for (float v : y) {
            assertFalse(Float.isNaN(v) || Float.isInfinite(v), Arrays.toString(y));
        }
        assertClose(
                new double[] {0.09003057, 0.24472847, 0.66524096, 1 / 3.0, 1 / 3.0, 1 / 3.0},
                y,
                1e-6,
                "stable softmax");
    }

    @ParameterizedTest(name = "axis {0} -> [{1}x{2}]")
    @CsvSource({"0, 1, 120", "1, 2, 60", "2, 6, 20", "4, 120, 1", "-1, 24, 5", "-3, 2, 60"})
    void flattenKeepsDataAndSplitsAtAxis(int axis, int rows, int cols) {
        Tensor x = random(10, 2, 3, 4, 5);
        Tensor y = KernelRunner.run(new FlattenNode("f", List.of("x"), "y", axis), x);
        assertShape(y, rows, cols);
        assertArrayEquals(x.floats(), y.floats());
    }

    private static Tensor shape(int... v) {
        return Tensor.ofInts(DType.I64, Shape.of(v.length), v);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0 -1     | 2 12",
                "-1 4     | 6 4",
                "0 0 2 2  | 2 3 2 2",
                "4 -1 3   | 4 2 3",
                "24       | 24",
                "-1       | 24",
                "2 0 -1   | 2 3 4",
                "1 2 1 12 | 1 2 1 12",
            })
    void reshapeResolvesZeroAndMinusOne(String target, String expected) {
        int[] t = Arrays.stream(target.trim().split(" +"))
                .mapToInt(Integer::parseInt)
                .toArray();
        int[] e = Arrays.stream(expected.trim().split(" +"))
                .mapToInt(Integer::parseInt)
                .toArray();
        Tensor x = random(11, 2, 3, 4);
        Tensor y = KernelRunner.run(new ReshapeNode("rs", List.of("x", "s"), "y", false), x, shape(t));
        assertShape(y, e);
        assertArrayEquals(x.floats(), y.floats());
    }

    @Test
    void reshapeRejectsBadTargetsNamingTheNode() {
        Tensor x = random(12, 2, 3, 4);
        ReshapeNode rs = new ReshapeNode("rs", List.of("x", "s"), "y", false);
        for (int[] bad : new int[][] {{-1, -1}, {5, -1}, {7, 4}, {0, 0, 0, 0}, {-2, 12}}) {
            QtuneException e =
                    assertThrows(QtuneException.class, () -> KernelRunner.run(rs, x, shape(bad)), Arrays.toString(bad));
            assertTrue(e.getMessage().startsWith("Reshape node 'rs': "), e.getMessage());
        }
    }

    @Test
    void reshapeWithAllowZeroKeepsAZeroDimension() {
        Tensor empty = Tensor.ofFloats(Shape.of(0, 3), new float[0]);
        Tensor y = KernelRunner.run(new ReshapeNode("rs", List.of("x", "s"), "y", true), empty, shape(3, 0));
        assertShape(y, 3, 0);
        assertEquals(0, y.numel());
    }
}

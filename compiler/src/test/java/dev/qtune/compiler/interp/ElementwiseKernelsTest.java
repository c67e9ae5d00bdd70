package dev.qtune.compiler.interp;

import static dev.qtune.compiler.Fixtures.assertClose;
import static dev.qtune.compiler.Fixtures.assertShape;
import static dev.qtune.compiler.Fixtures.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.BatchNormNode;
import dev.qtune.compiler.ir.BinaryNode;
import dev.qtune.compiler.ir.BinaryOp;
import dev.qtune.compiler.ir.ClipNode;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Binary arithmetic with broadcasting, Relu, Clip and BatchNormalization against naive loops. */
class ElementwiseKernelsTest {
    /** Numpy broadcasting done the slow way: per output multi-index, the index into each operand. */
    static double[] referenceBinary(BinaryOp op, Tensor a, Tensor b, int[] out) {
        int n = 1;
        for (int d : out) {
            n *= d;
        }
        double[] y = new double[n];
        int[] pos = new int[out.length];
        for (int i = 0; i < n; i++) {
            int rem = i;
            for (int d = out.length - 1; d >= 0; d--) {
                pos[d] = rem % out[d];
                rem /= out[d];
            }
            double av = a.floats()[index(a.shape(), pos)];
            double bv = b.floats()[index(b.shape(), pos)];
            y[i] = switch (op) {
                case ADD -> av + bv;
                case SUB -> av - bv;
                case MUL -> av * bv;
                case DIV -> av / bv;
            };
        }
        return y;
    }

    private static int index(Shape s, int[] outPos) {
        int offset = outPos.length - s.rank();
        int idx = 0;
        for (int d = 0; d < s.rank(); d++) {
            idx = idx * s.dim(d) + (s.dim(d) == 1 ? 0 : outPos[offset + d]);
        }
        return idx;
    }

    static Stream<Arguments> broadcastCases() {
        int[][][] shapes = {
            {{2, 3, 4, 5}, {3, 1, 1}, {2, 3, 4, 5}},
            {{2, 3, 4, 5}, {1}, {2, 3, 4, 5}},
            {{2, 3, 4, 5}, {5}, {2, 3, 4, 5}},
            {{2, 3, 4, 5}, {}, {2, 3, 4, 5}},
            {{2, 3, 4, 5}, {2, 3, 4, 5}, {2, 3, 4, 5}},
            {{3, 1, 1}, {2, 3, 4, 5}, {2, 3, 4, 5}},
            {{1}, {2, 3, 4, 5}, {2, 3, 4, 5}},
            {{2, 1, 4, 1}, {3, 1, 5}, {2, 3, 4, 5}},
            {{1, 1, 1, 1}, {2, 3}, {1, 1, 2, 3}},
            {{4, 1}, {1, 6}, {4, 6}},
        };
        List<Arguments> out = new ArrayList<>();
        for (BinaryOp op : BinaryOp.values()) {
            for (int[][] s : shapes) {
                out.add(Arguments.of(op, s[0], s[1], s[2]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("broadcastCases")
    void binaryBroadcastsLikeNumpy(BinaryOp op, int[] aDims, int[] bDims, int[] outDims) {
        Tensor a = random(Arrays.hashCode(aDims), aDims);
        // Divisors kept away from zero.
        Tensor b = Tensor.ofFloats(
                Shape.of(bDims),
                Fixtures.uniform(Arrays.hashCode(bDims) + 1L, Shape.of(bDims).numel(), 0.5f, 2f));
        Tensor y = KernelRunner.run(new BinaryNode("op", op, List.of("a", "b"), "y"), a, b);
        assertShape(y, outDims);
        assertClose(referenceBinary(op, a, b, outDims), y.floats(), 1e-6, op + " " + a.shape() + " " + b.shape());
    }

    @Test
    void incompatibleShapesNameTheNode() {
        QtuneException e = assertThrows(
                QtuneException.class,
                () -> KernelRunner.run(
                        new BinaryNode("bad_add", BinaryOp.ADD, List.of("a", "b"), "y"),
                        random(1, 2, 3),
                        random(2, 4)));
        assertTrue(
                e.getMessage().contains("Add node 'bad_add'") && e.getMessage().contains("do not broadcast"),
                e.getMessage());
    }

    @Test
    void reluAndClip() {
        Tensor x = Fixtures.tensor(new int[] {2, 4}, -7f, -0.5f, 0f, 0.25f, 3f, 5.5f, 6f, 9f);
        assertArrayEquals(
                new float[] {0f, 0f, 0f, 0.25f, 3f, 5.5f, 6f, 9f},
                KernelRunner.run(new ReluNode("r", "x", "y"), x).floats());
        Tensor lo = Tensor.scalar(-1f);
        Tensor hi = Tensor.scalar(5f);
        assertArrayEquals(
                new float[] {-1f, -0.5f, 0f, 0.25f, 3f, 5f, 5f, 5f},
                KernelRunner.run(new ClipNode("c", List.of("x", "lo", "hi"), "y"), x, lo, hi)
                        .floats());
        assertArrayEquals(
                new float[] {-7f, -0.5f, 0f, 0.25f, 3f, 5f, 5f, 5f},
                KernelRunner.run(new ClipNode("c", List.of("x", "", "hi"), "y"), x, null, hi)
                        .floats(),
                "max only");
        assertArrayEquals(
                new float[] {-1f, -0.5f, 0f, 0.25f, 3f, 5.5f, 6f, 9f},
                KernelRunner.run(new ClipNode("c", List.of("x", "lo"), "y"), x, lo)
                        .floats(),
                "min only");
        assertArrayEquals(
                x.floats(),
                KernelRunner.run(new ClipNode("c", List.of("x"), "y"), x).floats(),
                "no bounds");
    }

    private static double[] referenceBatchNorm(Tensor x, Tensor[] p, float eps) {
        int n = x.shape().dim(0);
        int c = x.shape().dim(1);
        int inner = x.numel() / (n * c);
        double[] y = new double[x.numel()];
        for (int i = 0; i < x.numel(); i++) {
            int ch = (i / inner) % c;
            double g = p[0].floats()[ch];
            double b = p[1].floats()[ch];
            double mean = p[2].floats()[ch];
            double var = p[3].floats()[ch];
            y[i] = g * (x.floats()[i] - mean) / Math.sqrt(var + eps) + b;
        }
        return y;
    }

    @Test
    void batchNormOverChannelsRank4AndRank2() {
        for (int[] dims : new int[][] {{3, 4, 5, 6}, {5, 7}}) {
            int c = dims[1];
            Tensor x = random(1, dims);
            Tensor[] p = {
                random(2, c), random(3, c), random(4, c), Tensor.ofFloats(Shape.of(c), Fixtures.uniform(5, c, 0.1f, 2f))
            };
            BatchNormNode bn = new BatchNormNode("bn", List.of("x", "s", "b", "m", "v"), "y", 1e-3f);
            Tensor y = KernelRunner.run(bn, x, p[0], p[1], p[2], p[3]);
            assertShape(y, dims);
            assertClose(referenceBatchNorm(x, p, 1e-3f), y.floats(), 1e-5, "batch norm " + x.shape());
        }
    }
}

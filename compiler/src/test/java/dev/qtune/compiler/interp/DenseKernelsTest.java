package dev.qtune.compiler.interp;

import static dev.qtune.compiler.Fixtures.assertClose;
import static dev.qtune.compiler.Fixtures.assertShape;
import static dev.qtune.compiler.Fixtures.random;

import dev.qtune.compiler.Fixtures.GraphBuilder;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.MatMulNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Gemm and MatMul against naive triple loops in double. */
class DenseKernelsTest {
    /** Y = alpha * op(A) op(B) + beta * C, C broadcast to [m, n] numpy style. */
    static double[] referenceGemm(Tensor a, Tensor b, Tensor c, float alpha, float beta, boolean ta, boolean tb) {
        int m = ta ? a.shape().dim(1) : a.shape().dim(0);
        int k = ta ? a.shape().dim(0) : a.shape().dim(1);
        int n = tb ? b.shape().dim(0) : b.shape().dim(1);
        double[] y = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta ? a.floats()[p * m + i] : a.floats()[i * k + p];
                    double bv = tb ? b.floats()[j * k + p] : b.floats()[p * n + j];
                    acc += av * bv;
                }
                double cv = 0;
                if (c != null) {
                    Shape cs = c.shape();
                    int rank = cs.rank();
                    int ci = rank == 0
                            ? 0
                            : rank == 1
                                    ? (cs.dim(0) == 1 ? 0 : j)
                                    : (cs.dim(0) == 1 ? 0 : i) * cs.dim(1) + (cs.dim(1) == 1 ? 0 : j);
                    cv = c.floats()[ci];
                }
                y[i * n + j] = alpha * acc + beta * cv;
            }
        }
        return y;
    }

    static Stream<Arguments> gemmCases() {
        List<Arguments> cases = new ArrayList<>();
        int[][] mkn = {{5, 7, 3}, {3, 13, 37}, {1, 4, 1}};
        String[] cKinds = {"none", "[n]", "[1,n]", "[m,1]", "[m,n]", "[1]", "[]"};
        for (int[] d : mkn) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (String ck : cKinds) {
                        cases.add(Arguments.of(d[0], d[1], d[2], ta, tb, ck, 1f, 1f));
                    }
                    cases.add(Arguments.of(d[0], d[1], d[2], ta, tb, "[n]", 0.5f, -2f));
                    cases.add(Arguments.of(d[0], d[1], d[2], ta, tb, "[m,n]", 3f, 0f));
                }
            }
        }
        return cases.stream();
    }

    private static int[] cDims(String kind, int m, int n) {
        return switch (kind) {
            case "[n]" -> new int[] {n};
            case "[1,n]" -> new int[] {1, n};
            case "[m,1]" -> new int[] {m, 1};
            case "[m,n]" -> new int[] {m, n};
            case "[1]" -> new int[] {1};
            case "[]" -> new int[] {};
            default -> null;
        };
    }

    @ParameterizedTest(name = "m={0} k={1} n={2} transA={3} transB={4} C={5} alpha={6} beta={7}")
    @MethodSource("gemmCases")
    void gemmMatchesNaiveLoops(int m, int k, int n, boolean ta, boolean tb, String cKind, float alpha, float beta) {
        long seed = 31L * m + 7L * k + n + (ta ? 100 : 0) + (tb ? 1000 : 0) + cKind.hashCode();
        Tensor a = ta ? random(seed, k, m) : random(seed, m, k);
        Tensor b = tb ? random(seed + 1, n, k) : random(seed + 1, k, n);
        int[] cd = cDims(cKind, m, n);
        Tensor c = cd == null ? null : random(seed + 2, cd);
        GemmNode node =
                new GemmNode("fc", c == null ? List.of("a", "b") : List.of("a", "b", "c"), "y", alpha, beta, ta, tb);
        Tensor y = c == null ? KernelRunner.run(node, a, b) : KernelRunner.run(node, a, b, c);
        assertShape(y, m, n);
        assertClose(referenceGemm(a, b, c, alpha, beta, ta, tb), y.floats(), 1e-5, node.toString());
    }

    @Test
    void constantWeightIsPreparedOnceAndReusedForNewInputs() {
        // B is an initializer: the transposed rows are cached per node; A changes between runs.
        Tensor b = random(3, 6, 4);
        Tensor c = random(4, 6);
        Graph g = new GraphBuilder("fc")
                .input("x", TensorType.f32(Shape.DYNAMIC, 4))
                .init("w", b)
                .init("bias", c)
                .node(new GemmNode("fc", List.of("x", "w", "bias"), "y", 1f, 1f, false, true))
                .output("y")
                .build();
        Fp32Interpreter interp = new Fp32Interpreter(g);
        for (int run = 0; run < 3; run++) {
            Tensor x = random(10 + run, 2 + run, 4);
            Tensor y = interp.run(Map.of("x", x)).get("y");
            assertShape(y, 2 + run, 6);
            assertClose(referenceGemm(x, b, c, 1f, 1f, false, true), y.floats(), 1e-5, "run " + run);
        }
    }

    static double[] referenceMatMul(Tensor a, Tensor b) {
        int k = b.shape().dim(0);
        int n = b.shape().dim(1);
        int rows = a.numel() / k;
        double[] y = new double[rows * n];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    acc += (double) a.floats()[r * k + p] * b.floats()[p * n + j];
                }
                y[r * n + j] = acc;
            }
        }
        return y;
    }

    @Test
    void matMulRank2() {
        Tensor a = random(1, 3, 9);
        Tensor b = random(2, 9, 5);
        Tensor y = KernelRunner.run(new MatMulNode("mm", List.of("a", "b"), "y"), a, b);
        assertShape(y, 3, 5);
        assertClose(referenceMatMul(a, b), y.floats(), 1e-5, "matmul");
    }

    @Test
    void matMulBatchedLeftOperand() {
        Tensor a = random(3, 2, 3, 4);
        Tensor b = random(4, 4, 7);
        Tensor y = KernelRunner.run(new MatMulNode("mm", List.of("a", "b"), "y"), a, b);
        assertShape(y, 2, 3, 7);
        assertClose(referenceMatMul(a, b), y.floats(), 1e-5, "batched matmul");
    }
}

package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.MatMulNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;

/** fp32 Gemm and MatMul through {@link Sgemm}; transposed constant operands are prepared once. */
final class DenseKernels {
    private DenseKernels() {}

    static Tensor[] gemm(Node node, Tensor[] in, KernelContext ctx) {
        GemmNode g = (GemmNode) node;
        Shape as = in[0].shape();
        Shape bs = in[1].shape();
        int m = g.transA() ? as.dim(1) : as.dim(0);
        int k = g.transA() ? as.dim(0) : as.dim(1);
        int n = g.transB() ? bs.dim(0) : bs.dim(1);
        float[] a = g.transA() ? transpose(in[0].floats(), as.dim(0), as.dim(1)) : in[0].floats();
        float[][] b = ctx.prepared(
                g.name(),
                g.b(),
                () -> Sgemm.rows(
                        g.transB() ? transpose(in[1].floats(), bs.dim(0), bs.dim(1)) : in[1].floats(), 0, k, n));
        float[] y = multiply(m, n, k, a, b);
        if (g.alpha() != 1f) {
            for (int i = 0; i < y.length; i++) {
                y[i] *= g.alpha();
            }
        }
        Shape out = Shape.of(m, n);
        if (in.length > 2 && in[2] != null && g.beta() != 0f) {
            ElementwiseKernels.accumulateBroadcast(y, out, in[2], g.beta());
        }
        return new Tensor[] {Tensor.ofFloats(out, y)};
    }

    static Tensor[] matmul(Node node, Tensor[] in, KernelContext ctx) {
        MatMulNode mm = (MatMulNode) node;
        Shape as = in[0].shape();
        int k = as.dim(as.rank() - 1);
        int rows = as.numel() / Math.max(1, k);
        int n = in[1].shape().dim(1);
        float[][] b = ctx.prepared(mm.name(), mm.b(), () -> Sgemm.rows(in[1].floats(), 0, k, n));
        return new Tensor[] {Tensor.ofFloats(as.withDim(as.rank() - 1, n), multiply(rows, n, k, in[0].floats(), b))};
    }

    /** Row-major [m x n] = A[m x k] (flat) x B (k rows of n). */
    private static float[] multiply(int m, int n, int k, float[] a, float[][] b) {
        float[][] c = new float[m][n];
        Sgemm.multiplyAdd(m, n, k, a, 0, k, b, c);
        float[] y = new float[m * n];
        for (int i = 0; i < m; i++) {
            System.arraycopy(c[i], 0, y, i * n, n);
        }
        return y;
    }

    static float[] transpose(float[] src, int rows, int cols) {
        float[] t = new float[src.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = src[r * cols + c];
            }
        }
        return t;
    }
}

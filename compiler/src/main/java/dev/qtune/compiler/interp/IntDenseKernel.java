package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;

/** Integer dense layer: x[rows, K] x w[N, K]^T + bias, exact (int32, or int64 where needed), then requantize per output. */
final class IntDenseKernel implements Kernel {
    @Override
    public Tensor[] apply(Node node, Tensor[] in, KernelContext ctx) {
        QDenseNode d = (QDenseNode) node;
        int rows = in[0].shape().dim(0);
        int k = in[0].shape().dim(1);
        int n = in[1].shape().dim(0);
        int[][] wt = ctx.prepared(d.name(), d.weight(), () -> {
            int[] w = in[1].ints();
            int[] t = new int[w.length];
            for (int o = 0; o < n; o++) {
                for (int p = 0; p < k; p++) {
                    t[p * n + o] = w[o * k + p];
                }
            }
            return Igemm.rows(t, 0, k, n);
        });
        int[] bias = in.length > 2 && in[2] != null ? in[2].ints() : null;
        boolean wide = ctx.prepared(
                d.name() + "/wide", d.weight(), () -> WideAccumulation.needed(k, in[0].dtype(), in[1].ints(), bias));
        Requantize rq = d.requantize();
        int[] out =
                wide ? wide(rows, n, k, in[0].ints(), wt, bias, rq) : narrow(rows, n, k, in[0].ints(), wt, bias, rq);
        return new Tensor[] {Tensor.ofInts(rq.dtype(), Shape.of(rows, n), out)};
    }

    /** Accumulates in int64 (where int32 could overflow), then requantizes. */
    private static int[] wide(int rows, int n, int k, int[] x, int[][] wt, int[] bias, Requantize rq) {
        long[][] acc = new long[rows][n];
        for (long[] row : acc) {
            for (int o = 0; bias != null && o < n; o++) {
                row[o] = bias[o];
            }
        }
        WideAccumulation.multiplyAdd(rows, n, k, x, 0, k, wt, acc);
        int[] out = new int[rows * n];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < n; o++) {
                WideAccumulation.requantize(acc[r], o, out, r * n + o, 1, rq, o);
            }
        }
        return out;
    }

    /** Accumulates in int32, then requantizes. */
    private static int[] narrow(int rows, int n, int k, int[] x, int[][] wt, int[] bias, Requantize rq) {
        int[][] acc = new int[rows][n];
        for (int[] row : acc) {
            if (bias != null) {
                System.arraycopy(bias, 0, row, 0, n);
            }
        }
        Igemm.multiplyAdd(rows, n, k, x, 0, k, wt, acc);
        int[] out = new int[rows * n];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < n; o++) {
                out[r * n + o] = rq.apply(acc[r][o], o);
            }
        }
        return out;
    }
}

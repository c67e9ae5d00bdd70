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
        int[] out = new int[rows * n];
        if (wide) {
            long[][] acc = new long[rows][n];
            for (long[] row : acc) {
                for (int o = 0; bias != null && o < n; o++) {
                    row[o] = bias[o];
                }
            }
            WideAccumulation.multiplyAdd(rows, n, k, in[0].ints(), 0, k, wt, acc);
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < n; o++) {
                    WideAccumulation.requantize(acc[r], o, out, r * n + o, 1, rq, o);
                }
            }
        } else {
            int[][] acc = new int[rows][n];
            for (int[] row : acc) {
                if (bias != null) {
                    System.arraycopy(bias, 0, row, 0, n);
                }
            }
            Igemm.multiplyAdd(rows, n, k, in[0].ints(), 0, k, wt, acc);
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < n; o++) {
                    out[r * n + o] = rq.apply(acc[r][o], o);
                }
            }
        }
        return new Tensor[] {Tensor.ofInts(rq.dtype(), Shape.of(rows, n), out)};
    }
}

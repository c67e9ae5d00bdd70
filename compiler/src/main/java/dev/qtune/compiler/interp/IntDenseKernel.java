package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;

/** Integer dense layer: x[rows, K] x w[N, K]^T + bias in exact int32, then requantize per output. */
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
        int[][] acc = new int[rows][n];
        if (in.length > 2 && in[2] != null) {
            for (int[] row : acc) {
                System.arraycopy(in[2].ints(), 0, row, 0, n);
            }
        }
        Igemm.multiplyAdd(rows, n, k, in[0].ints(), 0, k, wt, acc);
        Requantize rq = d.requantize();
        int[] out = new int[rows * n];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < n; o++) {
                out[r * n + o] = rq.range().clamp(rq.multiplier(o).apply(acc[r][o], rq.rounding()));
            }
        }
        return new Tensor[] {Tensor.ofInts(rq.dtype(), Shape.of(rows, n), out)};
    }
}

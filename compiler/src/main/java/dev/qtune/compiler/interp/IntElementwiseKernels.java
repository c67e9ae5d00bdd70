package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QAddNode;
import dev.qtune.compiler.ir.QConcatNode;
import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.pass.Broadcast;
import dev.qtune.compiler.quant.FixedPointMultiplier;
import dev.qtune.compiler.quant.Rounding;

/** Integer QAdd, QConcat and Relu. */
final class IntElementwiseKernels {
    private IntElementwiseKernels() {}

    /**
     * y = clamp(2^-k (M_a 2^k (a - z_a) + M_b 2^k (b - z_b)) + z_y): both inputs rescaled keeping k
     * extra bits ({@link QAddNode#finer}), their sum rounded once ({@link QAddNode#sumShift}).
     */
    static Tensor[] qadd(Node node, Tensor[] in, KernelContext ctx) {
        QAddNode add = (QAddNode) node;
        Requantize rq = add.requantize();
        Shape out = Broadcast.shape(node, in[0].shape(), in[1].shape());
        int[] ai = ElementwiseKernels.broadcastIndex(in[0].shape(), out);
        int[] bi = ElementwiseKernels.broadcastIndex(in[1].shape(), out);
        int[] a = in[0].ints();
        int[] b = in[1].ints();
        int[] y = new int[out.numel()];
        FixedPointMultiplier fa = add.finer(0);
        FixedPointMultiplier fb = add.finer(1);
        FixedPointMultiplier down = add.sumShift();
        Rounding rounding = rq.rounding();
        int za = add.inputZeroPoints().get(0);
        int zb = add.inputZeroPoints().get(1);
        for (int i = 0; i < y.length; i++) {
            long sum = fa.apply((long) a[ai[i]] - za, rounding) + fb.apply((long) b[bi[i]] - zb, rounding);
            y[i] = rq.range().clamp(down.apply(sum, rounding) + rq.zeroPoint());
        }
        return new Tensor[] {Tensor.ofInts(rq.dtype(), out, y)};
    }

    static Tensor[] qconcat(Node node, Tensor[] in, KernelContext ctx) {
        QConcatNode c = (QConcatNode) node;
        Requantize rq = c.requantize();
        Shape first = in[0].shape();
        int axis = c.axis() < 0 ? c.axis() + first.rank() : c.axis();
        int outer = first.product(0, axis);
        int inner = first.product(axis + 1, first.rank());
        int total = 0;
        for (Tensor t : in) {
            total += t.shape().dim(axis);
        }
        Shape out = first.withDim(axis, total);
        int[] y = new int[out.numel()];
        int at = 0;
        for (int t = 0; t < in.length; t++) {
            int chunk = in[t].shape().dim(axis) * inner;
            int[] src = in[t].ints();
            for (int o = 0; o < outer; o++) {
                IntRequantize.apply(src, o * chunk, y, o * total * inner + at, chunk, rq, t, c.inputZeroPoint(t));
            }
            at += chunk;
        }
        return new Tensor[] {Tensor.ofInts(rq.dtype(), out, y)};
    }

    static Tensor[] relu(Node node, Tensor[] in, KernelContext ctx) {
        int[] x = in[0].ints();
        int[] y = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.max(x[i], 0);
        }
        return new Tensor[] {Tensor.ofInts(in[0].dtype(), in[0].shape(), y)};
    }
}

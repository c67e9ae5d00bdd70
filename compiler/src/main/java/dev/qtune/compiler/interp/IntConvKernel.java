package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.Window2d;
import java.util.Arrays;

/**
 * Integer convolution: im2col + {@link Igemm} (exact int32 sums from the bias; int64 through
 * {@link WideAccumulation} where int32 could overflow), then requantize per channel.
 */
final class IntConvKernel implements Kernel {
    private static final int MIN_ROW = 768;

    @Override
    public Tensor[] apply(Node node, Tensor[] in, KernelContext ctx) {
        QConv2dNode conv = (QConv2dNode) node;
        Shape xs = in[0].shape();
        Window2d win = conv.window();
        int batch = xs.dim(0);
        int channels = xs.dim(1);
        int outC = in[1].shape().dim(0);
        int cg = channels / conv.group();
        int mg = outC / conv.group();
        int ho = win.outHeight(xs.dim(2), false);
        int wo = win.outWidth(xs.dim(3), false);
        int kk = cg * win.kernelH() * win.kernelW();
        int p = ho * wo;
        int block = Math.max(1, Math.min(batch, (MIN_ROW + p - 1) / p));
        int[] out = new int[batch * outC * p];
        int[] bias = in.length > 2 && in[2] != null ? in[2].ints() : null;
        int[][] col = new int[kk][block * p];
        Requantize rq = conv.requantize();
        boolean wide = ctx.prepared(
                conv.name(), conv.weight(), () -> WideAccumulation.needed(kk, in[0].dtype(), in[1].ints(), bias));
        int[][] acc = wide ? null : new int[mg][block * p];
        long[][] wideAcc = wide ? new long[mg][block * p] : null;
        for (int n0 = 0; n0 < batch; n0 += block) {
            int nb = Math.min(block, batch - n0);
            for (int g = 0; g < conv.group(); g++) {
                for (int b = 0; b < nb; b++) {
                    int xOff = ((n0 + b) * channels + g * cg) * xs.dim(2) * xs.dim(3);
                    IntIm2col.fill(
                            in[0].ints(),
                            xOff,
                            cg,
                            xs.dim(2),
                            xs.dim(3),
                            win,
                            ho,
                            wo,
                            col,
                            b * p,
                            conv.inputZeroPoint());
                }
                for (int m = 0; m < mg; m++) {
                    int b0 = bias == null ? 0 : bias[g * mg + m];
                    if (wide) {
                        Arrays.fill(wideAcc[m], b0);
                    } else {
                        Arrays.fill(acc[m], b0);
                    }
                }
                if (wide) {
                    WideAccumulation.multiplyAdd(mg, nb * p, kk, in[1].ints(), g * mg * kk, kk, col, wideAcc);
                } else {
                    Igemm.multiplyAdd(mg, nb * p, kk, in[1].ints(), g * mg * kk, kk, col, acc);
                }
                for (int m = 0; m < mg; m++) {
                    int oc = g * mg + m;
                    for (int b = 0; b < nb; b++) {
                        int dst = ((n0 + b) * outC + oc) * p;
                        if (wide) {
                            WideAccumulation.requantize(wideAcc[m], b * p, out, dst, p, rq, oc);
                        } else {
                            IntRequantize.apply(acc[m], b * p, out, dst, p, rq, oc, 0);
                        }
                    }
                }
            }
        }
        return new Tensor[] {Tensor.ofInts(rq.dtype(), Shape.of(batch, outC, ho, wo), out)};
    }
}

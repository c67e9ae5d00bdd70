package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.Tensor;
import java.util.Arrays;

/**
 * Integer convolution: im2col + {@link Igemm} (exact int32 sums from the bias; int64 through
 * {@link WideAccumulation} where int32 could overflow), then requantize per channel.
 */
final class IntConvKernel implements Kernel {
    @Override
    public Tensor[] apply(Node node, Tensor[] in, KernelContext ctx) {
        QConv2dNode conv = (QConv2dNode) node;
        ConvGeometry c = ConvGeometry.of(in[0].shape(), in[1].shape(), conv.window(), conv.group());
        int p = c.pixels();
        int mg = c.mg();
        int kk = c.kk();
        int[] out = new int[c.batch() * c.outC() * p];
        int[] bias = in.length > 2 && in[2] != null ? in[2].ints() : null;
        int[][] col = new int[kk][c.block() * p];
        Requantize rq = conv.requantize();
        boolean wide = ctx.prepared(
                conv.name(), conv.weight(), () -> WideAccumulation.needed(kk, in[0].dtype(), in[1].ints(), bias));
        int[][] acc = wide ? null : new int[mg][c.block() * p];
        long[][] wideAcc = wide ? new long[mg][c.block() * p] : null;
        for (int n0 = 0; n0 < c.batch(); n0 += c.block()) {
            int nb = Math.min(c.block(), c.batch() - n0);
            for (int g = 0; g < c.group(); g++) {
                for (int b = 0; b < nb; b++) {
                    IntIm2col.fill(in[0].ints(), c, n0 + b, g, col, b * p, conv.inputZeroPoint());
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
                        int dst = c.outputOffset(n0 + b, oc);
                        if (wide) {
                            WideAccumulation.requantize(wideAcc[m], b * p, out, dst, p, rq, oc);
                        } else {
                            IntRequantize.apply(acc[m], b * p, out, dst, p, rq, oc, 0);
                        }
                    }
                }
            }
        }
        return new Tensor[] {Tensor.ofInts(rq.dtype(), c.outShape(), out)};
    }
}

package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Tensor;
import java.util.Arrays;

/**
 * fp32 2-D convolution, NCHW x OIHW, as im2col + {@link Sgemm}: for each group and each block of
 * images, the windows are unfolded into K = Cg*kh*kw rows of (images x Ho*Wo) columns, so that
 * small feature maps still give the vector loop long rows; each output-channel row starts at the
 * bias and is scattered back to NCHW.
 */
final class ConvKernel implements Kernel {
    @Override
    public Tensor[] apply(Node node, Tensor[] in, KernelContext ctx) {
        Conv2dNode conv = (Conv2dNode) node;
        ConvGeometry c = ConvGeometry.of(in[0].shape(), in[1].shape(), conv.window(), conv.group());
        int p = c.pixels();
        int mg = c.mg();
        int kk = c.kk();
        float[] out = new float[c.batch() * c.outC() * p];
        float[] wf = in[1].floats();
        float[] bias = in.length > 2 && in[2] != null ? in[2].floats() : null;
        float[][] col = new float[kk][c.block() * p];
        float[][] acc = new float[mg][c.block() * p];
        for (int n0 = 0; n0 < c.batch(); n0 += c.block()) {
            int nb = Math.min(c.block(), c.batch() - n0);
            for (int g = 0; g < c.group(); g++) {
                for (int b = 0; b < nb; b++) {
                    Im2col.fill(in[0].floats(), c, n0 + b, g, col, b * p);
                }
                for (int m = 0; m < mg; m++) {
                    Arrays.fill(acc[m], bias == null ? 0f : bias[g * mg + m]);
                }
                Sgemm.multiplyAdd(mg, nb * p, kk, wf, g * mg * kk, kk, col, acc);
                for (int b = 0; b < nb; b++) {
                    for (int m = 0; m < mg; m++) {
                        System.arraycopy(acc[m], b * p, out, c.outputOffset(n0 + b, g * mg + m), p);
                    }
                }
            }
        }
        return new Tensor[] {Tensor.ofFloats(c.outShape(), out)};
    }
}

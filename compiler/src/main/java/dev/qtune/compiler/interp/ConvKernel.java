package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.Window2d;
import java.util.Arrays;

/**
 * fp32 2-D convolution, NCHW x OIHW, as im2col + {@link Sgemm}: for each group and each block of
 * images, the windows are unfolded into K = Cg*kh*kw rows of (images x Ho*Wo) columns, so that
 * small feature maps still give the vector loop long rows; each output-channel row starts at the
 * bias and is scattered back to NCHW.
 */
final class ConvKernel implements Kernel {
    /** Target row length: images are blocked until a row has at least this many columns. */
    private static final int MIN_ROW = 768;

    @Override
    public Tensor[] apply(Node node, Tensor[] in, KernelContext ctx) {
        Conv2dNode conv = (Conv2dNode) node;
        Shape xs = in[0].shape();
        Window2d win = conv.window();
        int batch = xs.dim(0);
        int channels = xs.dim(1);
        int outC = in[1].shape().dim(0);
        int group = conv.group();
        int cg = channels / group;
        int mg = outC / group;
        int ho = win.outHeight(xs.dim(2), false);
        int wo = win.outWidth(xs.dim(3), false);
        int kk = cg * win.kernelH() * win.kernelW();
        int p = ho * wo;
        int block = Math.max(1, Math.min(batch, (MIN_ROW + p - 1) / p));
        float[] out = new float[batch * outC * p];
        float[] wf = in[1].floats();
        float[] bias = in.length > 2 && in[2] != null ? in[2].floats() : null;
        float[][] col = new float[kk][block * p];
        float[][] acc = new float[mg][block * p];
        for (int n0 = 0; n0 < batch; n0 += block) {
            int nb = Math.min(block, batch - n0);
            for (int g = 0; g < group; g++) {
                for (int b = 0; b < nb; b++) {
                    int xOff = ((n0 + b) * channels + g * cg) * xs.dim(2) * xs.dim(3);
                    Im2col.fill(in[0].floats(), xOff, cg, xs.dim(2), xs.dim(3), win, ho, wo, col, b * p);
                }
                for (int m = 0; m < mg; m++) {
                    Arrays.fill(acc[m], bias == null ? 0f : bias[g * mg + m]);
                }
                Sgemm.multiplyAdd(mg, nb * p, kk, wf, g * mg * kk, kk, col, acc);
                for (int b = 0; b < nb; b++) {
                    for (int m = 0; m < mg; m++) {
                        System.arraycopy(acc[m], b * p, out, ((n0 + b) * outC + g * mg + m) * p, p);
                    }
                }
            }
        }
        return new Tensor[] {Tensor.ofFloats(Shape.of(batch, outC, ho, wo), out)};
    }
}

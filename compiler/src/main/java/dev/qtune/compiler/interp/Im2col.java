package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.Window2d;
import java.util.Arrays;

/**
 * Unfolds the convolution windows of one image into rows of a panel: row (c*kh + ki)*kw + kj holds,
 * from column {@code colOff}, the Ho*Wo input values that kernel tap (ki, kj) of channel c sees
 * (zeros for padding).
 */
final class Im2col {
    private Im2col() {}

    /** Unfolds the windows of image {@code n}'s channels of group {@code g} of convolution {@code c}. */
    static void fill(float[] x, ConvGeometry c, int n, int g, float[][] col, int colOff) {
        fill(x, c.inputOffset(n, g), c.cg(), c.h(), c.w(), c.window(), c.ho(), c.wo(), col, colOff);
    }

    static void fill(
            float[] x, int xOff, int c, int h, int w, Window2d win, int ho, int wo, float[][] col, int colOff) {
        int kh = win.kernelH();
        int kw = win.kernelW();
        int sh = win.strideH();
        int sw = win.strideW();
        int row = 0;
        for (int ch = 0; ch < c; ch++) {
            int plane = xOff + ch * h * w;
            for (int ki = 0; ki < kh; ki++) {
                for (int kj = 0; kj < kw; kj++, row++) {
                    float[] dstRow = col[row];
                    int dst = colOff;
                    int colOffset = kj * win.dilationW() - win.padLeft();
                    // Output columns whose input column lies inside the image: [owLo, owHi).
                    int owLo = Math.max(0, ceilDiv(-colOffset, sw));
                    int owHi = Math.min(wo, ceilDiv(w - colOffset, sw));
                    for (int oh = 0; oh < ho; oh++, dst += wo) {
                        int ih = oh * sh - win.padTop() + ki * win.dilationH();
                        if (ih < 0 || ih >= h || owLo >= owHi) {
                            Arrays.fill(dstRow, dst, dst + wo, 0f);
                            continue;
                        }
                        Arrays.fill(dstRow, dst, dst + owLo, 0f);
                        int src = plane + ih * w + colOffset;
                        if (sw == 1) {
                            System.arraycopy(x, src + owLo, dstRow, dst + owLo, owHi - owLo);
                        } else {
                            for (int ow = owLo; ow < owHi; ow++) {
                                dstRow[dst + ow] = x[src + ow * sw];
                            }
                        }
                        Arrays.fill(dstRow, dst + owHi, dst + wo, 0f);
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}

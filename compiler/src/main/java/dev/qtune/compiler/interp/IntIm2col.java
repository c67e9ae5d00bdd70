package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.Window2d;
import java.util.Arrays;

/**
 * {@link Im2col} for integer tensors: the same row layout, padding filled with {@code pad}, the
 * input's zero point (the integer of real 0).
 */
final class IntIm2col {
    private IntIm2col() {}

    /** {@link Im2col#fill(float[], ConvGeometry, int, int, float[][], int)} with padding {@code pad}. */
    static void fill(int[] x, ConvGeometry c, int n, int g, int[][] col, int colOff, int pad) {
        fill(x, c.inputOffset(n, g), c.cg(), c.h(), c.w(), c.window(), c.ho(), c.wo(), col, colOff, pad);
    }

    static void fill(
            int[] x, int xOff, int c, int h, int w, Window2d win, int ho, int wo, int[][] col, int colOff, int pad) {
        int row = 0;
        for (int ch = 0; ch < c; ch++) {
            int plane = xOff + ch * h * w;
            for (int ki = 0; ki < win.kernelH(); ki++) {
                for (int kj = 0; kj < win.kernelW(); kj++, row++) {
                    int colOffset = kj * win.dilationW() - win.padLeft();
                    int owLo = Math.max(0, -Math.floorDiv(colOffset, win.strideW()));
                    int owHi = Math.min(wo, -Math.floorDiv(-(w - colOffset), win.strideW()));
                    for (int oh = 0; oh < ho; oh++) {
                        int dst = colOff + oh * wo;
                        int ih = oh * win.strideH() - win.padTop() + ki * win.dilationH();
                        if (ih < 0 || ih >= h || owLo >= owHi) {
                            Arrays.fill(col[row], dst, dst + wo, pad);
                            continue;
                        }
                        Arrays.fill(col[row], dst, dst + owLo, pad);
                        int src = plane + ih * w + colOffset;
                        if (win.strideW() == 1) {
                            System.arraycopy(x, src + owLo, col[row], dst + owLo, owHi - owLo);
                        } else {
                            for (int ow = owLo; ow < owHi; ow++) {
                                col[row][dst + ow] = x[src + ow * win.strideW()];
                            }
                        }
                        Arrays.fill(col[row], dst + owHi, dst + wo, pad);
                    }
                }
            }
        }
    }
}

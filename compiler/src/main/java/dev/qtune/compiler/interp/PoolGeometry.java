package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Window2d;
import java.util.Arrays;

/**
 * The windows of a 2-D pool over one h x w plane, computed once and shared by the fp32 and
 * integer pools: for each output position, the plane offsets of the input elements inside the
 * window (padding never contributes) and the element count that count_include_pad divides by
 * (explicit pads count, positions past them in ceil mode do not).
 */
final class PoolGeometry {
    final int outH;
    final int outW;
    final int[][] offsets;
    final int[] padCounts;

    private PoolGeometry(int outH, int outW, int[][] offsets, int[] padCounts) {
        this.outH = outH;
        this.outW = outW;
        this.offsets = offsets;
        this.padCounts = padCounts;
    }

    static PoolGeometry of(int h, int w, Window2d win, boolean ceil) {
        int ho = win.outHeight(h, ceil);
        int wo = win.outWidth(w, ceil);
        int[][] offsets = new int[ho * wo][];
        int[] padCounts = new int[ho * wo];
        int[] scratch = new int[win.kernelH() * win.kernelW()];
        for (int oh = 0, o = 0; oh < ho; oh++) {
            for (int ow = 0; ow < wo; ow++, o++) {
                int n = 0;
                for (int ki = 0; ki < win.kernelH(); ki++) {
                    int ih = oh * win.strideH() - win.padTop() + ki * win.dilationH();
                    for (int kj = 0; kj < win.kernelW(); kj++) {
                        int iw = ow * win.strideW() - win.padLeft() + kj * win.dilationW();
                        if (ih < h + win.padBottom() && iw < w + win.padRight()) {
                            padCounts[o]++;
                        }
                        if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                            scratch[n++] = ih * w + iw;
                        }
                    }
                }
                offsets[o] = Arrays.copyOf(scratch, n);
            }
        }
        return new PoolGeometry(ho, wo, offsets, padCounts);
    }

    /** The windows of a pool over each plane of an NCHW input {@code x}. */
    static PoolGeometry of(Shape x, Window2d win, boolean ceil) {
        return of(x.dim(2), x.dim(3), win, ceil);
    }

    /** What a pool does at one output position. */
    @FunctionalInterface
    interface Window {
        /**
         * Reduces the window of output position {@code o} of one plane: the input elements at
         * {@code base + offsets[o][i]}, the result to output index {@code dst}.
         */
        void reduce(int dst, int base, int o);
    }

    /** Visits every output position of every plane of an NCHW input {@code x}, plane by plane. */
    void forEachWindow(Shape x, Window window) {
        int planes = x.dim(0) * x.dim(1);
        int plane = x.dim(2) * x.dim(3);
        int outPlane = outPlane();
        for (int pl = 0; pl < planes; pl++) {
            for (int o = 0; o < outPlane; o++) {
                window.reduce(pl * outPlane + o, pl * plane, o);
            }
        }
    }

    /** Output elements for an NCHW input {@code x}. */
    int outSize(Shape x) {
        return x.dim(0) * x.dim(1) * outPlane();
    }

    /** Output positions per plane. */
    int outPlane() {
        return outH * outW;
    }

    /** The output's shape for an NCHW input {@code x}. */
    Shape outShape(Shape x) {
        return Shape.of(x.dim(0), x.dim(1), outH, outW);
    }

    /** The divisor of an average at output position o. */
    int divisor(int o, boolean countIncludePad) {
        return countIncludePad ? padCounts[o] : Math.max(1, offsets[o].length);
    }
}

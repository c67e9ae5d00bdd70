package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Window2d;

/**
 * The sizes of a grouped 2-D convolution over NCHW input with OIHW weights, as the im2col kernels
 * (fp32 and integer) see them: {@code cg} input and {@code mg} output channels per group, {@code kk}
 * rows of the unfolded windows, and {@code block} images unfolded at once, so that a row has at
 * least {@value #MIN_ROW} columns.
 */
record ConvGeometry(int batch, int channels, int h, int w, int outC, int group, int ho, int wo, Window2d window) {
    /** Target row length: images are blocked until a row has at least this many columns. */
    static final int MIN_ROW = 768;

    static ConvGeometry of(Shape x, Shape weight, Window2d win, int group) {
        return new ConvGeometry(
                x.dim(0),
                x.dim(1),
                x.dim(2),
                x.dim(3),
                weight.dim(0),
                group,
                win.outHeight(x.dim(2), false),
                win.outWidth(x.dim(3), false),
                win);
    }

    /** Input channels per group. */
    int cg() {
        return channels / group;
    }

    /** Output channels per group. */
    int mg() {
        return outC / group;
    }

    /** Rows of the unfolded windows: a group's input channels x kernel taps. */
    int kk() {
        return cg() * window.kernelH() * window.kernelW();
    }

    /** Output pixels per image. */
    int pixels() {
        return ho * wo;
    }

    /** Images unfolded at once. */
    int block() {
        int p = pixels();
        return Math.max(1, Math.min(batch, (MIN_ROW + p - 1) / p));
    }

    /** Where image {@code n}'s channels of group {@code g} start in the input. */
    int inputOffset(int n, int g) {
        return (n * channels + g * cg()) * h * w;
    }

    /** Where output channel {@code oc} of image {@code n} starts in the output. */
    int outputOffset(int n, int oc) {
        return (n * outC + oc) * pixels();
    }

    /** The output's shape. */
    Shape outShape() {
        return Shape.of(batch, outC, ho, wo);
    }
}

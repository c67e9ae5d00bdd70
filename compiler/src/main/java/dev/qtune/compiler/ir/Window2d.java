package dev.qtune.compiler.ir;

/**
 * The sliding window of a 2-D convolution or pooling: kernel size, strides, pads (top, left,
 * bottom, right) and dilations.
 */
public record Window2d(
        int kernelH,
        int kernelW,
        int strideH,
        int strideW,
        int padTop,
        int padLeft,
        int padBottom,
        int padRight,
        int dilationH,
        int dilationW) {
    public Window2d {
        check("kernel", kernelH, 1);
        check("kernel", kernelW, 1);
        check("stride", strideH, 1);
        check("stride", strideW, 1);
        check("dilation", dilationH, 1);
        check("dilation", dilationW, 1);
        check("pad", padTop, 0);
        check("pad", padLeft, 0);
        check("pad", padBottom, 0);
        check("pad", padRight, 0);
    }

    private static void check(String what, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(what + " must be >= " + min + ", but was " + value);
        }
    }

    /** A window with no padding, unit stride and unit dilation. */
    public static Window2d of(int kernelH, int kernelW) {
        return new Window2d(kernelH, kernelW, 1, 1, 0, 0, 0, 0, 1, 1);
    }

    public int outHeight(int inH, boolean ceilMode) {
        return outSize(inH, kernelH, strideH, padTop, padBottom, dilationH, ceilMode);
    }

    public int outWidth(int inW, boolean ceilMode) {
        return outSize(inW, kernelW, strideW, padLeft, padRight, dilationW, ceilMode);
    }

    private static int outSize(int in, int k, int s, int padBegin, int padEnd, int d, boolean ceil) {
        int span = d * (k - 1) + 1;
        int numerator = in + padBegin + padEnd - span;
        if (numerator < 0) {
            return 0;
        }
        int out = (ceil ? (numerator + s - 1) / s : numerator / s) + 1;
        // ONNX/PyTorch: with ceil mode the last window must start inside the input or left padding
        // (window o starts at input row o*s - padBegin).
        if (ceil && (out - 1) * s >= in + padBegin) {
            out--;
        }
        return out;
    }

    @Override
    public String toString() {
        return "k" + kernelH + "x" + kernelW + " s" + strideH + "x" + strideW
                + " p" + padTop + "," + padLeft + "," + padBottom + "," + padRight
                + (dilationH != 1 || dilationW != 1 ? " d" + dilationH + "x" + dilationW : "");
    }
}

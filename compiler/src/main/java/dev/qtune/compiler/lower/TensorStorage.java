package dev.qtune.compiler.lower;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.TensorType;

/**
 * How a value of a lowered graph (bound to batch 1) is laid out in memory. fp32 values keep the
 * ONNX (NCHW) order. Integer values are channels-last: a rank-4 [1, C, H, W] tensor is stored
 * [H*W][paddedChannels] and a rank-2 [1, K] tensor as one pixel of K channels, with the channel
 * count padded to a multiple of 4 so that kernels read whole groups of four.
 */
public record TensorStorage(DType dtype, Shape shape, int channels, int paddedChannels, int spatial, long bytes) {
    /** Channel padding of integer tensors. */
    public static final int CHANNEL_ALIGN = 4;

    public TensorStorage {
        if (channels < 0 || paddedChannels < channels || spatial < 0 || bytes < 0) {
            throw new IllegalArgumentException("tensor storage must have 0 <= channels <= padded channels, but was "
                    + channels + "/" + paddedChannels + " x " + spatial);
        }
    }

    /** The storage of a value of this type at batch 1. */
    public static TensorStorage of(TensorType type) {
        Shape s = type.shape().bind(1);
        if (type.dtype() == DType.F32) {
            int c = s.rank() >= 2 ? s.dim(1) : s.numel();
            int spatial = s.rank() >= 2 ? s.product(2, s.rank()) : 1;
            return new TensorStorage(DType.F32, s, c, c, spatial, 4L * s.numel());
        }
        if (s.rank() != 2 && s.rank() != 4 || s.dim(0) != 1) {
            throw new LoweringException("integer tensors must be [1, K] or [1, C, H, W] at batch 1, but one is " + s);
        }
        int c = s.dim(1);
        int spatial = s.rank() == 4 ? s.dim(2) * s.dim(3) : 1;
        int padded = roundUp(c, CHANNEL_ALIGN);
        return new TensorStorage(
                type.dtype(), s, c, padded, spatial, (long) padded * spatial * elementBytes(type.dtype()));
    }

    public boolean isInteger() {
        return dtype != DType.F32;
    }

    public int height() {
        return shape.rank() == 4 ? shape.dim(2) : 1;
    }

    public int width() {
        return shape.rank() == 4 ? shape.dim(3) : 1;
    }

    public static int elementBytes(DType d) {
        return switch (d) {
            case U8, I8 -> 1;
            case I16 -> 2;
            case F32, I32 -> 4;
            case I64 -> 8;
        };
    }

    public static int roundUp(int v, int m) {
        return (v + m - 1) / m * m;
    }
}

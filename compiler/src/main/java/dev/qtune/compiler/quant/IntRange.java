package dev.qtune.compiler.quant;

/** Saturation to an integer range, as integer kernels clamp their results. */
public record IntRange(int min, int max) {
    public IntRange {
        if (min > max) {
            throw new IllegalArgumentException("range min must be <= max, but was [" + min + ", " + max + "]");
        }
    }

    /** The range of int32 biases: symmetric, [-(2^31 - 1), 2^31 - 1] (docs/integer-semantics.md). */
    public static final IntRange BIAS = new IntRange(Integer.MIN_VALUE + 1, Integer.MAX_VALUE);

    /** Signed symmetric range of {@code bits}: [-(2^(bits-1) - 1), 2^(bits-1) - 1]. */
    public static IntRange signed(int bits) {
        int q = (1 << (bits - 1)) - 1;
        return new IntRange(-q, q);
    }

    /** Unsigned range of {@code bits}: [0, 2^bits - 1]. */
    public static IntRange unsigned(int bits) {
        return new IntRange(0, (1 << bits) - 1);
    }

    public int clamp(long v) {
        return (int) Math.max(min, Math.min(max, v));
    }

    /** Largest magnitude representable: the number of positive quantization levels. */
    public int levels() {
        return Math.max(Math.abs(min), max);
    }
}

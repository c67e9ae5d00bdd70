package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.DType;

/** The scalar rules of docs/integer-semantics.md that more than one place applies. */
public final class QuantMath {
    private QuantMath() {}

    /** q = clamp(rint(x / scale)): float32 division, ties to even, NaN to 0. */
    public static int quantize(float x, float scale, IntRange range) {
        return quantize(x, scale, 0, range);
    }

    /** q = clamp(rint(x / scale) + zeroPoint): float32 division, ties to even, NaN to the zero point. */
    public static int quantize(float x, float scale, int zeroPoint, IntRange range) {
        float r = x / scale;
        if (Float.isNaN(r)) {
            return range.clamp(zeroPoint);
        }
        return range.clamp((long) Math.max(Math.min(Math.rint(r), 1e18), -1e18) + zeroPoint);
    }

    /**
     * The scale for a clipping threshold: threshold / levels, rounded up to a power of two when
     * {@code power2}; a threshold that is 0 (an all-zero tensor) or not finite gives scale 1.
     */
    public static float scale(double threshold, int levels, boolean power2) {
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            return 1f;
        }
        double s = threshold / levels;
        if (power2) {
            int e = Math.getExponent(s); // s = f * 2^e, f in [1, 2)
            s = s == Math.scalb(1.0, e) ? s : Math.scalb(1.0, e + 1);
        }
        float f = (float) s;
        return f > 0 && !Float.isInfinite(f) ? f : 1f;
    }

    /**
     * The integer range of an activation: unsigned when the tensor is known to be non-negative
     * (16-bit unsigned activations use [0, 32767] so that they fit i16), signed symmetric otherwise.
     */
    public static IntRange activationRange(int bits, boolean nonNegative) {
        if (!nonNegative) {
            return IntRange.signed(bits);
        }
        return bits <= 8 ? IntRange.unsigned(bits) : new IntRange(0, (1 << (bits - 1)) - 1);
    }

    /**
     * The integer range of an activation under its layer's config: as {@link #activationRange(int, boolean)},
     * except that a value which may be negative is unsigned [0, 2^b - 1] (with a zero point set by
     * calibration) when the config asks for asymmetric activations.
     */
    public static IntRange activationRange(LayerQuantConfig c, boolean nonNegative) {
        if (!nonNegative && c.asymmetricActivations()) {
            return IntRange.unsigned(c.activationBits());
        }
        return activationRange(c.activationBits(), nonNegative);
    }

    /** The storage type of a range: u8, i8 or i16 (weights and activations), i32 (biases). */
    public static DType storage(IntRange r) {
        if (r.min() >= 0 && r.max() <= 255) {
            return DType.U8;
        }
        if (r.min() >= -128 && r.max() <= 127) {
            return DType.I8;
        }
        return r.min() >= -32768 && r.max() <= 32767 ? DType.I16 : DType.I32;
    }
}

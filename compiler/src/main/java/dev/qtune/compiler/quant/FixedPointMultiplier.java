package dev.qtune.compiler.quant;

import java.math.BigInteger;

/**
 * A positive real multiplier M represented exactly as {@code mantissa * 2^-shift}, with the
 * mantissa in [2^30, 2^31) (a Q31 value in [0.5, 1)), as docs/integer-semantics.md defines.
 * A multiplier that is a power of two has mantissa 2^30, so applying it is a rounding shift.
 */
public record FixedPointMultiplier(int mantissa, int shift) {
    /** Largest shift with a meaning: beyond it every 32-bit accumulator rounds to 0. */
    public static final int MAX_SHIFT = 63;

    public FixedPointMultiplier {
        if (mantissa < (1 << 30)) {
            throw new IllegalArgumentException("multiplier mantissa must be in [2^30, 2^31), but was " + mantissa);
        }
        if (shift < 0 || shift > MAX_SHIFT) {
            throw new IllegalArgumentException("multiplier shift must be in [0, " + MAX_SHIFT + "], but was " + shift);
        }
    }

    /**
     * The representation of {@code real}: mantissa = round(real * 2^shift) with shift chosen so the
     * mantissa lands in [2^30, 2^31). Multipliers too large for shift >= 0 (real >= 2^31) are
     * rejected; ones too small for shift <= 63 become the smallest representable value, which
     * rounds every accumulator to 0 anyway.
     */
    public static FixedPointMultiplier of(double real) {
        if (!(real > 0) || Double.isInfinite(real)) {
            throw new IllegalArgumentException("multiplier must be a positive finite number, but was " + real);
        }
        int exponent = Math.getExponent(real); // real = f * 2^exponent, f in [1, 2)
        int shift = 30 - exponent;
        if (shift < 0) {
            throw new IllegalArgumentException("multiplier must be < 2^30, but was " + real);
        }
        if (shift > MAX_SHIFT) {
            return new FixedPointMultiplier(1 << 30, MAX_SHIFT);
        }
        long m = Math.round(Math.scalb(real, shift));
        if (m == (1L << 31)) { // rounding carried into the next power of two
            m = 1L << 30;
            shift--;
            if (shift < 0) {
                throw new IllegalArgumentException("multiplier must be < 2^30, but was " + real);
            }
        }
        return new FixedPointMultiplier((int) m, shift);
    }

    /** The real value this represents. */
    public double value() {
        return Math.scalb((double) mantissa, -shift);
    }

    /**
     * acc * M rounded to an integer as docs/integer-semantics.md defines: with p = acc * mantissa
     * (exact) and n = shift, UPWARD gives floor((p + 2^(n-1)) / 2^n) (ties toward +infinity) and
     * TONEAREST gives sign(p) * floor((|p| + 2^(n-1)) / 2^n) (ties away from zero). Results beyond
     * the long range saturate (callers clamp to far narrower ranges anyway).
     */
    public long apply(long acc, Rounding rounding) {
        if (Math.abs(acc) < (1L << 32)) {
            long p = acc * mantissa; // |p| < 2^63: exact
            return rounding == Rounding.UPWARD || p >= 0 ? roundShift(p, shift) : -roundShift(-p, shift);
        }
        BigInteger p = BigInteger.valueOf(acc).multiply(BigInteger.valueOf(mantissa));
        boolean negate = rounding == Rounding.TONEAREST && p.signum() < 0;
        if (negate) {
            p = p.negate();
        }
        if (shift > 0) {
            p = p.add(BigInteger.ONE.shiftLeft(shift - 1)).shiftRight(shift);
        }
        if (negate) {
            p = p.negate();
        }
        return p.bitLength() < 64 ? p.longValue() : (p.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE);
    }

    /** floor((p + 2^(n-1)) / 2^n) for |p| < 2^63, n in [0, 63], without overflow. */
    private static long roundShift(long p, int n) {
        if (n == 0) {
            return p;
        }
        // (p >> n) + the rounding bit: the n-th bit below the point decides the tie upward.
        return (p >> n) + ((p >> (n - 1)) & 1L);
    }
}

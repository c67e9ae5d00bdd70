package dev.qtune.compiler.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The requantization arithmetic of docs/integer-semantics.md, against exact big-integer math. */
class FixedPointMultiplierTest {
    @Test
    void representationIsNormalisedAndClose() {
        for (double m : new double[] {1e-9, 0.000123, 0.3, 0.5, 0.75, 1.0, 1.5, 3.0, 1000.0}) {
            FixedPointMultiplier f = FixedPointMultiplier.of(m);
            assertTrue(f.mantissa() >= (1 << 30), "mantissa normalised for " + m);
            assertEquals(m, f.value(), m * 1e-9, "value of " + m);
        }
        FixedPointMultiplier half = FixedPointMultiplier.of(0.5);
        assertEquals(1 << 30, half.mantissa());
        assertEquals(31, half.shift());
    }

    @Test
    void powerOfTwoIsAnExactRoundingShift() {
        FixedPointMultiplier quarter = FixedPointMultiplier.of(0.25);
        assertEquals(1 << 30, quarter.mantissa());
        // 6 / 4 = 1.5 -> 2 (tie upward); -6 / 4 = -1.5 -> -1 (tie upward); 5 / 4 = 1.25 -> 1
        assertEquals(2, quarter.apply(6, Rounding.UPWARD));
        assertEquals(-1, quarter.apply(-6, Rounding.UPWARD));
        assertEquals(1, quarter.apply(5, Rounding.UPWARD));
        assertEquals(-2, quarter.apply(-7, Rounding.UPWARD));
    }

    @Test
    void tonearestBreaksTiesAwayFromZero() {
        FixedPointMultiplier half = FixedPointMultiplier.of(0.5);
        assertEquals(2, half.apply(3, Rounding.TONEAREST));
        assertEquals(-2, half.apply(-3, Rounding.TONEAREST));
        assertEquals(2, half.apply(3, Rounding.UPWARD));
        assertEquals(-1, half.apply(-3, Rounding.UPWARD));
        assertEquals(0, half.apply(0, Rounding.TONEAREST));
    }

    @Test
    void unitMultiplierIsTheIdentity() {
        FixedPointMultiplier one = FixedPointMultiplier.of(1.0);
        for (int v : new int[] {0, 1, -1, 127, -127, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertEquals(v, one.apply(v, Rounding.UPWARD));
            assertEquals(v, one.apply(v, Rounding.TONEAREST));
        }
    }

    @Test
    void tinyMultipliersSendEverythingToZero() {
        FixedPointMultiplier tiny = FixedPointMultiplier.of(1e-30);
        assertEquals(63, tiny.shift());
        assertEquals(0, tiny.apply(Integer.MAX_VALUE, Rounding.UPWARD));
        assertEquals(0, tiny.apply(Integer.MIN_VALUE, Rounding.UPWARD));
        assertEquals(0, tiny.apply(Integer.MIN_VALUE, Rounding.TONEAREST));
    }

    @Test
    void largeShiftsAndExtremeAccumulatorsMatchExactArithmetic() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            double m = Math.scalb(0.5 + r.nextDouble() * 0.5, -r.nextInt(0, 34));
            FixedPointMultiplier f = FixedPointMultiplier.of(m);
            long acc = switch (i % 4) {
                case 0 -> r.nextInt();
                case 1 -> r.nextInt(-300, 300);
                case 2 -> (i % 8 == 2) ? Integer.MAX_VALUE : Integer.MIN_VALUE;
                default -> r.nextLong(-(1L << 40), 1L << 40);
            };
            for (Rounding rounding : Rounding.values()) {
                assertEquals(
                        exact(acc, f, rounding), f.apply(acc, rounding), "acc " + acc + " m " + m + " " + rounding);
            }
        }
    }

    @Test
    void rejectsWhatItCannotRepresent() {
        assertThrows(IllegalArgumentException.class, () -> FixedPointMultiplier.of(0));
        assertThrows(IllegalArgumentException.class, () -> FixedPointMultiplier.of(-1));
        assertThrows(IllegalArgumentException.class, () -> FixedPointMultiplier.of(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> FixedPointMultiplier.of(Math.scalb(1.0, 31)));
        assertThrows(IllegalArgumentException.class, () -> new FixedPointMultiplier(5, 3));
    }

    private static long exact(long acc, FixedPointMultiplier f, Rounding rounding) {
        BigInteger p = BigInteger.valueOf(acc).multiply(BigInteger.valueOf(f.mantissa()));
        BigInteger half = f.shift() == 0 ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(f.shift() - 1);
        BigInteger two = BigInteger.ONE.shiftLeft(f.shift());
        if (rounding == Rounding.TONEAREST && p.signum() < 0) {
            return -floorDiv(p.negate().add(half), two).longValueExact();
        }
        return floorDiv(p.add(half), two).longValueExact();
    }

    private static BigInteger floorDiv(BigInteger a, BigInteger b) {
        BigInteger[] qr = a.divideAndRemainder(b);
        return qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
    }
}

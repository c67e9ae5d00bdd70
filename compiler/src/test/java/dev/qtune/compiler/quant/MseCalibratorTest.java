package dev.qtune.compiler.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cases are written on the 2048 bins MSE searches: {@link #stats} spreads such a histogram over the
 * collected {@link TensorStats#BINS} (each count at the first fine bin of its coarse bin), so with
 * absMax 2048 a bin is one unit.
 */
class MseCalibratorTest {
    private static final int BINS = MseCalibrator.BINS;
    private final MseCalibrator mse = new MseCalibrator();

    private static TensorStats stats(long[] h, float absMax) {
        long[] fine = new long[TensorStats.BINS];
        for (int k = 0; k < h.length; k++) {
            fine[k * (TensorStats.BINS / h.length)] = h[k];
        }
        return CalibratorsTest.stats(fine, absMax);
    }

    private static long[] uniform(long perBin) {
        long[] h = new long[BINS];
        Arrays.fill(h, perBin);
        return h;
    }

    /** An exponential bulk near zero and a thin tail out to absMax. */
    private static long[] heavyTailed() {
        long[] h = new long[BINS];
        for (int k = 0; k < BINS; k++) {
            h[k] = (long) (1e6 * Math.exp(-k / 30.0));
        }
        for (int k = 300; k < BINS; k += 50) {
            h[k] = 1;
        }
        h[BINS - 1] = 1;
        return h;
    }

    @Test
    void heavyTailIsClippedWellBelowAbsMax() {
        double t = mse.threshold(ThresholdCalibrator.Request.of(stats(heavyTailed(), 2048f), 127));
        assertTrue(t < 0.5 * 2048, "threshold " + t + " must clip the thin tail");
        assertTrue(t > 60, "threshold " + t + " must keep the bulk (e-folding 30 bins)");
    }

    @ParameterizedTest
    @ValueSource(ints = {127, 255})
    void uniformHistogramGivesAboutAbsMax(int levels) {
        double t = mse.threshold(ThresholdCalibrator.Request.of(stats(uniform(100), 2048f), levels));
        // Clipping a uniform density costs (A - t)^3 / 3A, rounding t^3 / 12 L^2 A: the optimum is
        // t = A (1 - 1/2L), within 0.4% of absMax.
        assertEquals(2048, t, 0.01 * 2048, "threshold " + t);
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 127, 255})
    void coarseThenLocalSearchFindsNearlyTheExhaustiveMinimum(int levels) {
        long[] h = heavyTailed();
        double best = Double.POSITIVE_INFINITY;
        for (int k = 0; k < BINS; k++) {
            best = Math.min(best, MseCalibrator.error(h, k, levels));
        }
        double t = mse.threshold(ThresholdCalibrator.Request.of(stats(h, 2048f), levels));
        double chosen = MseCalibrator.error(h, (int) t - 1, levels);
        assertTrue(chosen <= 1.02 * best, "error " + chosen + " at " + t + " vs exhaustive minimum " + best);
    }

    @Test
    void errorCountsClippingAsDistanceToTheThreshold() {
        long[] h = new long[BINS];
        h[9] = 2; // centre 9.5, threshold at edge of bin 3 = 4, 2 levels: clips to 4
        assertEquals(2 * 5.5 * 5.5, MseCalibrator.error(h, 3, 2), 1e-12);
        h[9] = 0;
        h[1] = 1; // centre 1.5, scale 2: rounds to 2 (rint(0.75) = 1)
        assertEquals(0.25, MseCalibrator.error(h, 3, 2), 1e-12);
    }
}

package dev.qtune.compiler.quant;

import static dev.qtune.compiler.quant.CalibratorsTest.stats;
import static dev.qtune.compiler.quant.CalibratorsTest.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Most cases are written on TensorRT's 2048-bin histogram, the one KL searches for signed 8-bit:
 * {@link #threshold} spreads such a histogram over the collected {@link TensorStats#BINS} (each
 * count at the first fine bin of its coarse bin), so with absMax 2048 a coarse bin is one unit.
 */
class KlDivergenceCalibratorTest {
    private static final int BINS = KlDivergenceCalibrator.BASE_BINS;
    private static final int FINE = TensorStats.BINS;
    private final KlDivergenceCalibrator kl = new KlDivergenceCalibrator();

    private double threshold(long[] h, float absMax, int levels) {
        long[] fine = h;
        if (h.length != FINE) {
            fine = new long[FINE];
            for (int k = 0; k < h.length; k++) {
                fine[k * (FINE / h.length)] = h[k];
            }
        }
        return kl.threshold(ThresholdCalibrator.Request.of(stats(fine, absMax), levels));
    }

    @Test
    void handCheckedDivergencesOfATinyHistogram() {
        // hist = [3, 1, 0, 4], 2 levels.
        // i = 2: P = [3, 5], Q = [3, 1]             -> 3/8 ln(1/2) + 5/8 ln(5/2)
        // i = 3: P = [3, 1, 4], Q = [3, .5, .5]     -> 3/8 ln(1/2) + 1/2 ln 4
        // i = 4: P = [3, 1, 0, 4], Q = [2, 2, 0, 4] -> 3/8 ln(3/2) + 1/8 ln(1/2)
        // i = 8: one group of 4 bins, Q = 8/3 on the three non-zero bins.
        double[] d = KlDivergenceCalibrator.divergences(coarse(3, 1, 0, 4), 2);
        assertEquals(0.375 * Math.log(0.5) + 0.625 * Math.log(2.5), d[2], 1e-12);
        assertEquals(0.375 * Math.log(0.5) + 0.5 * Math.log(4), d[3], 1e-12);
        double best = 0.375 * Math.log(1.5) + 0.125 * Math.log(0.5);
        assertEquals(best, d[4], 1e-12);
        assertEquals(best, d[5], 1e-12);
        assertEquals(best, d[7], 1e-12);
        assertEquals((3 * Math.log(9.0 / 8) + Math.log(3.0 / 8) + 4 * Math.log(12.0 / 8)) / 8, d[8], 1e-12);
        assertTrue(Double.isNaN(d[1]));
        // i = 4, 5, 6, 7 tie; the smallest wins: 4 bins of width 1.
        assertEquals(4.0, threshold(coarse(3, 1, 0, 4), 2048f, 2));
    }

    @Test
    void narrowBulkWithFarOutliersIsClippedFarBelowAbsMax() {
        long[] h = new long[BINS];
        for (int k = 0; k < 200; k++) {
            h[k] = Math.round(100_000 * Math.exp(-k * k / (2.0 * 60 * 60)));
        }
        h[1500] = 2;
        h[BINS - 1] = 3;
        double t = threshold(h, 2048f, 127);
        assertTrue(t >= 127 && t <= 300, "threshold " + t + " must clip the outliers and keep the bulk (0..200)");
    }

    @Test
    void reluSpikeOfZerosDoesNotDragTheThresholdDown() {
        // half the values are exact zeros (bin 0); the rest a half-normal reaching absMax
        long[] h = new long[BINS];
        for (int k = 1; k < BINS; k++) {
            h[k] = 1 + Math.round(5_000 * Math.exp(-k * (double) k / (2.0 * 500 * 500)));
        }
        h[0] = Arrays.stream(h).sum();
        for (int levels : new int[] {127, 255}) {
            double t = threshold(h, 2048f, levels);
            assertTrue(t > 0.5 * 2048, levels + " levels: threshold " + t + " must keep most of the half-normal");
        }
    }

    /**
     * A ReLU output: half exact zeros, a half-normal bulk (sigma 1) and a sparse tail of outliers
     * out to 10 sigma: the bulk is kept beyond 3 sigma (on 16384 bins the sparse tail costs KL little,
     * and it keeps most of it).
     */
    @Test
    void reluOutputWithLongSparseTailIsNotClippedIntoItsBulk() {
        double absMax = 10;
        long[] h = new long[FINE];
        double perUnit = FINE / absMax;
        Random r = new Random(7);
        for (int n = 0; n < 400_000; n++) {
            double x = Math.abs(r.nextGaussian());
            h[Math.min(FINE - 1, (int) (x * perUnit))]++;
        }
        for (int n = 0; n < 20; n++) {
            h[Math.min(FINE - 1, (int) ((4 + 6 * r.nextDouble()) * perUnit))]++;
        }
        h[FINE - 1]++;
        h[0] += 400_000;
        double t = threshold(h, (float) absMax, 255);
        assertTrue(t > 3.2, "threshold " + t + " must keep the bulk (sigma 1)");
    }

    /** A 2048-bin histogram with {@code counts} at bins 0, 1, ... */
    private static long[] coarse(long... counts) {
        long[] h = new long[BINS];
        System.arraycopy(counts, 0, h, 0, counts.length);
        return h;
    }

    @Test
    void searchesTensorRtsHistogramForSignedAndAllBinsForUnsigned8Bit() {
        assertEquals(2048, KlDivergenceCalibrator.binsFor(7));
        assertEquals(2048, KlDivergenceCalibrator.binsFor(127));
        assertEquals(FINE, KlDivergenceCalibrator.binsFor(255));
    }

    /**
     * A normalised MNIST input: 256 discrete pixel values over [-0.42, 2.82], 80% of them the
     * background at -0.42. On the 16384 collected bins the values fall one every 74 bins and KL
     * clipped at 43% of absMax; on TensorRT's 2048 it keeps (almost) everything, as percentile does.
     */
    @Test
    void discretePixelValuesAreNotClippedByAnAlignmentLottery() {
        double mean = 0.1307;
        double std = 0.3081;
        double absMax = (1 - mean) / std;
        long[] h = new long[FINE];
        Random r = new Random(3);
        for (int n = 0; n < 200_000; n++) {
            int pixel = r.nextInt(10) < 8 ? 0 : r.nextInt(10) < 5 ? 255 : r.nextInt(256);
            double x = Math.abs((pixel / 255.0 - mean) / std);
            h[Math.min(FINE - 1, (int) (x * (FINE / absMax)))]++;
        }
        double t = threshold(h, (float) absMax, 127);
        assertTrue(t > 0.9 * absMax, "threshold " + t + " of absMax " + absMax + " must keep the bright pixels");
    }

    @Test
    void uniformHistogramKeepsEverything() {
        assertEquals(2048.0, threshold(uniform(1000), 2048f, 127));
        assertEquals(7.0, threshold(uniform(3), 7f, 255));
    }

    @Test
    void tensorWhoseValuesAllSitAtAbsMaxIsNotClipped() {
        long[] h = new long[BINS];
        h[BINS - 1] = 500;
        assertEquals(3.0, threshold(h, 3f, 127));
    }

    @Test
    void sixteenBitLevelsLeaveNothingToChoose() {
        long[] h = new long[BINS];
        h[0] = 10;
        h[BINS - 1] = 1;
        assertEquals(5.0, threshold(h, 5f, 32767));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 127, 255})
    void prefixSumDivergencesEqualAStraightforwardComputation(int levels) {
        Random r = new Random(levels);
        long[] h = new long[BINS];
        for (int k = 0; k < BINS; k++) {
            // a decaying bulk with empty bins scattered through it, and a sparse tail
            if (k < 400 ? r.nextInt(5) > 0 : r.nextInt(60) == 0) {
                h[k] = 1 + (long) (r.nextInt(1000) * Math.exp(-k / 150.0));
            }
        }
        h[300] = 0;
        h[BINS - 1] = 0;
        double[] fast = KlDivergenceCalibrator.divergences(h, levels);
        double bestNaive = Double.POSITIVE_INFINITY;
        int bestI = -1;
        for (int i = levels; i <= BINS; i++) {
            double naive = NaiveKl.divergence(h, i, levels);
            assertEquals(naive, fast[i], 1e-9 * Math.max(1, Math.abs(naive)), "candidate " + i);
            if (naive < bestNaive) {
                bestNaive = naive;
                bestI = i;
            }
        }
        assertEquals(bestI, KlDivergenceCalibrator.bestCandidate(h, levels));
    }

    /** The documented algorithm written out with explicit P and Q arrays, O(i) per candidate. */
    private static final class NaiveKl {
        static double divergence(long[] h, int i, int levels) {
            double[] p = new double[i];
            long outliers = 0;
            for (int k = 0; k < h.length; k++) {
                if (k < i) {
                    p[k] = h[k];
                } else {
                    outliers += h[k];
                }
            }
            p[i - 1] += outliers;
            double[] q = expand(h, p, i, levels);
            double qSum = 0;
            double pSum = 0;
            for (int k = 0; k < i; k++) {
                if (p[k] > 0 && q[k] == 0) {
                    q[k] = KlDivergenceCalibrator.EPSILON;
                }
                qSum += q[k];
                pSum += p[k];
            }
            if (qSum == 0 || sliceIsEmpty(h, i)) {
                return Double.POSITIVE_INFINITY;
            }
            double d = 0;
            for (int k = 0; k < i; k++) {
                if (p[k] > 0) {
                    d += p[k] / pSum * Math.log((p[k] / pSum) / (q[k] / qSum));
                }
            }
            return d;
        }

        private static double[] expand(long[] h, double[] p, int i, int levels) {
            int merged = i / levels;
            double[] q = new double[i];
            for (int j = 0; j < levels; j++) {
                int start = j * merged;
                int stop = j == levels - 1 ? i : start + merged;
                double count = 0;
                int nonZero = 0;
                for (int k = start; k < stop; k++) {
                    count += h[k];
                    nonZero += p[k] > 0 ? 1 : 0;
                }
                for (int k = start; k < stop; k++) {
                    q[k] = p[k] > 0 ? count / nonZero : 0;
                }
            }
            return q;
        }

        private static boolean sliceIsEmpty(long[] h, int i) {
            for (int k = 0; k < i; k++) {
                if (h[k] != 0) {
                    return false;
                }
            }
            return true;
        }
    }
}

package dev.qtune.compiler.quant;

import static dev.qtune.compiler.quant.CalibratorsTest.stats;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PercentileCalibratorTest {
    private final PercentileCalibrator percentile = new PercentileCalibrator();

    /** One value in each of bins 0..999; absMax BINS makes a bin one unit wide. */
    private static TensorStats thousandValues() {
        long[] h = new long[TensorStats.BINS];
        for (int k = 0; k < 1000; k++) {
            h[k] = 1;
        }
        return stats(h, (float) TensorStats.BINS);
    }

    @ParameterizedTest
    @CsvSource({"50,500", "0.1,1", "0.05,1", "10,100", "10.01,101", "99.9,999", "99.95,1000", "100,1000"})
    void thresholdIsTheUpperEdgeOfTheBinWhereTheCumulativeCountReachesP(double p, double expected) {
        double t = percentile.threshold(
                ThresholdCalibrator.Request.of(thousandValues(), 127).withPercentile(p));
        assertEquals(expected, t);
    }

    @Test
    void oneHundredPercentIsAbsMax() {
        long[] h = new long[TensorStats.BINS];
        h[3] = 10;
        h[TensorStats.BINS - 1] = 1;
        assertEquals(
                6.5,
                percentile.threshold(
                        ThresholdCalibrator.Request.of(stats(h, 6.5f), 127).withPercentile(100)));
    }

    @Test
    void inexactPercentDoesNotAskForOneValueMore() {
        // 9999 of 10000 values are in bin 0: 99.99% of them must clip the one outlier.
        long[] h = new long[TensorStats.BINS];
        h[0] = 9999;
        h[TensorStats.BINS - 1] = 1;
        assertEquals(
                1.0,
                percentile.threshold(ThresholdCalibrator.Request.of(stats(h, (float) TensorStats.BINS), 127)
                        .withPercentile(99.99)));
        assertEquals(
                (double) TensorStats.BINS,
                percentile.threshold(ThresholdCalibrator.Request.of(stats(h, (float) TensorStats.BINS), 127)
                        .withPercentile(99.995)));
        // 99.9 / 100 * 1000 is 999.0000000000001 in binary: 999 of 1000 values must still suffice.
        h[0] = 999;
        assertEquals(
                1.0,
                percentile.threshold(ThresholdCalibrator.Request.of(stats(h, (float) TensorStats.BINS), 127)
                        .withPercentile(99.9)));
    }
}

package dev.qtune.compiler.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CalibratorsTest {
    /** Stats over [0, absMax] with the given histogram (min 0, max absMax). */
    static TensorStats stats(long[] hist, float absMax) {
        return new TensorStats("t", 0f, absMax, hist);
    }

    /** A histogram of BINS bins with {@code counts} at bins 0, 1, ... and zeros after. */
    static long[] hist(long... counts) {
        long[] h = new long[TensorStats.BINS];
        System.arraycopy(counts, 0, h, 0, counts.length);
        return h;
    }

    static long[] uniform(long perBin) {
        long[] h = new long[TensorStats.BINS];
        Arrays.fill(h, perBin);
        return h;
    }

    @ParameterizedTest
    @EnumSource(CalibrationMode.class)
    void everyModeHasACalibrator(CalibrationMode mode) {
        assertNotNull(Calibrators.of(mode));
    }

    @ParameterizedTest
    @EnumSource(CalibrationMode.class)
    void allZeroTensorGivesThresholdZeroInEveryMode(CalibrationMode mode) {
        TensorStats zero = new TensorStats("z", 0f, 0f, hist(1000));
        ThresholdCalibrator.Request r =
                ThresholdCalibrator.Request.of(zero, 127).withGlobalScale(8.0);
        assertEquals(0.0, Calibrators.threshold(mode, r));
    }

    @Test
    void maxIsTheLargestMagnitudeOfEitherSign() {
        TensorStats s = new TensorStats("t", -5.5f, 3f, hist(1, 2, 3));
        assertEquals(5.5, Calibrators.threshold(CalibrationMode.MAX, ThresholdCalibrator.Request.of(s, 127)));
        TensorStats positive = new TensorStats("t", 0.25f, 3f, hist(1, 2, 3));
        assertEquals(3.0, Calibrators.threshold(CalibrationMode.MAX, ThresholdCalibrator.Request.of(positive, 255)));
    }

    @Test
    void globalScaleIsTheThresholdWhateverTheData() {
        ThresholdCalibrator.Request r = ThresholdCalibrator.Request.of(stats(uniform(3), (float) TensorStats.BINS), 127)
                .withGlobalScale(8.0);
        assertEquals(8.0, Calibrators.threshold(CalibrationMode.GLOBAL_SCALE, r));
        ThresholdCalibrator.Request small =
                ThresholdCalibrator.Request.of(stats(hist(5), 0.01f), 255).withGlobalScale(8.0);
        assertEquals(8.0, Calibrators.threshold(CalibrationMode.GLOBAL_SCALE, small));
    }

    @Test
    void globalScaleModeWithoutAScaleSaysSo() {
        ThresholdCalibrator.Request r =
                ThresholdCalibrator.Request.of(stats(uniform(3), (float) TensorStats.BINS), 127);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Calibrators.threshold(CalibrationMode.GLOBAL_SCALE, r));
        assertEquals(
                "global_scale must be set for calibration mode GLOBAL_SCALE (tensor 't'), but was not", e.getMessage());
    }

    @Test
    void requestValidatesItsFields() {
        TensorStats s = stats(uniform(1), 1f);
        IllegalArgumentException levels = assertThrows(
                IllegalArgumentException.class,
                () -> new ThresholdCalibrator.Request(s, 0, 99.0, OptionalDouble.empty()));
        assertEquals("calibration levels must be >= 1, but was 0", levels.getMessage());
        IllegalArgumentException p = assertThrows(
                IllegalArgumentException.class,
                () -> new ThresholdCalibrator.Request(s, 127, 0.0, OptionalDouble.empty()));
        assertEquals("calibration percentile must be in (0, 100], but was 0.0", p.getMessage());
        IllegalArgumentException g = assertThrows(
                IllegalArgumentException.class,
                () -> new ThresholdCalibrator.Request(s, 127, 99.0, OptionalDouble.of(-1)));
        assertEquals("global scale must be finite and > 0, but was -1.0", g.getMessage());
    }

    @ParameterizedTest
    @EnumSource(
            value = CalibrationMode.class,
            names = {"MAX", "POWER2", "KL", "PERCENTILE", "MSE"})
    void dataModesNeverExceedWhatTheyNeedAndStayPositive(CalibrationMode mode) {
        long[] h = new long[TensorStats.BINS];
        for (int k = 0; k < h.length; k++) {
            h[k] = (long) (1e6 * Math.exp(-k / 40.0));
        }
        double t = Calibrators.threshold(mode, ThresholdCalibrator.Request.of(stats(h, 10f), IntRange.unsigned(8)));
        assertTrue(t > 0, mode + " threshold " + t);
        double bound = mode == CalibrationMode.POWER2 ? 2 * 10.0 : 10.0;
        assertTrue(t <= bound, mode + " threshold " + t + " must be <= " + bound);
    }

    /** Answers are kept per statistics object: the same name and range with another histogram is another question. */
    @ParameterizedTest
    @EnumSource(
            value = CalibrationMode.class,
            names = {"MAX", "POWER2", "KL", "PERCENTILE", "MSE"})
    void keptAnswersBelongToTheirStatistics(CalibrationMode mode) {
        long[] narrow = hist(1000, 500, 100);
        long[] wide = uniform(10);
        TensorStats a = stats(narrow, 10f);
        TensorStats b = stats(wide, 10f);
        var request = new ThresholdCalibrator.Request(a, 127, 99.9, OptionalDouble.empty());
        double first = Calibrators.threshold(mode, request);
        assertEquals(first, Calibrators.threshold(mode, request), "the same request, the same answer");
        assertEquals(Calibrators.of(mode).threshold(request), first, "the kept answer is the calibrator's");
        double other =
                Calibrators.threshold(mode, new ThresholdCalibrator.Request(b, 127, 99.9, OptionalDouble.empty()));
        assertEquals(
                Calibrators.of(mode).threshold(new ThresholdCalibrator.Request(b, 127, 99.9, OptionalDouble.empty())),
                other);
        if (mode == CalibrationMode.PERCENTILE) {
            assertTrue(other > first, "a wider histogram, a wider percentile: " + first + " vs " + other);
        }
    }
}

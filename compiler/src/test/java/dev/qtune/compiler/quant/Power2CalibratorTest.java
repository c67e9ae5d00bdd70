package dev.qtune.compiler.quant;

import static dev.qtune.compiler.quant.CalibratorsTest.stats;
import static dev.qtune.compiler.quant.CalibratorsTest.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Power2CalibratorTest {
    private final Power2Calibrator power2 = new Power2Calibrator();

    @Test
    void scaleIsRoundedUpToAPowerOfTwo() {
        // 1 / 127 = 0.00787 lies between 2^-7 = 0.0078125 and 2^-6.
        double t = power2.threshold(ThresholdCalibrator.Request.of(stats(uniform(1), 1f), 127));
        assertEquals(0.015625 * 127, t);
    }

    @Test
    void exactPowerOfTwoScaleIsKept() {
        double t = power2.threshold(ThresholdCalibrator.Request.of(stats(uniform(1), 31.75f), 127));
        assertEquals(31.75, t);
    }

    @ParameterizedTest
    @CsvSource({"1.0,127", "0.3,255", "6.02,127", "1000,7", "1e-6,127", "3,1", "77.7,32767"})
    void thresholdIsTheSmallestWithAPowerOfTwoScaleCoveringAbsMax(float absMax, int levels) {
        double t = power2.threshold(ThresholdCalibrator.Request.of(stats(uniform(1), absMax), levels));
        double scale = t / levels;
        assertEquals(Math.scalb(1.0, Math.getExponent(scale)), scale, "scale " + scale + " must be a power of two");
        assertTrue(t >= absMax, "threshold " + t + " must cover absMax " + absMax);
        assertTrue(scale / 2 * levels < absMax, "half the scale " + scale / 2 + " would already cover " + absMax);
    }
}

package dev.qtune.compiler.quant;

/** {@link CalibrationMode#MAX}: the largest magnitude seen, so nothing is ever clipped. */
public final class MaxCalibrator implements ThresholdCalibrator {
    @Override
    public double threshold(Request request) {
        return request.stats().absMax();
    }
}

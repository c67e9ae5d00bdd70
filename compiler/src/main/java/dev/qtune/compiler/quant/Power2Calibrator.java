package dev.qtune.compiler.quant;

/**
 * {@link CalibrationMode#POWER2}: the smallest threshold >= absMax whose SCALE is a power of two,
 * so that requantization is a plain shift: {@code scale = 2^ceil(log2(absMax / levels))},
 * {@code threshold = scale * levels}. For signed int8 (127 levels) the threshold itself is then
 * not a power of two; this differs from TVM's power2 mode, which rounds the threshold (its
 * "scale") up to a power of two and divides by 2^(bits-1).
 */
public final class Power2Calibrator implements ThresholdCalibrator {
    @Override
    public double threshold(Request request) {
        if (request.allZero()) {
            return 0;
        }
        return scale(request.stats().absMax(), request.levels()) * request.levels();
    }

    /** The smallest power of two >= {@code absMax / levels}, computed exactly (no logarithms). */
    static double scale(double absMax, int levels) {
        double step = absMax / levels;
        double p = Math.scalb(1.0, Math.getExponent(step));
        return p < step ? p * 2 : p;
    }
}

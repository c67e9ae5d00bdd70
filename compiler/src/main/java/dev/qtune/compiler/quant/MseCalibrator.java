package dev.qtune.compiler.quant;

/**
 * {@link CalibrationMode#MSE}: the threshold minimising the expected squared quantization error
 * over the |x| histogram. Each bin's values are taken at the bin centre {@code c}; for a threshold
 * {@code t} with scale {@code s = t / levels} the error of one value is
 * {@code (c - clamp(round(c / s), 0, levels) * s)^2}, so values above {@code t} clip to {@code t}.
 * Candidates are bin upper edges {@code (k + 1) * binWidth}: first every {@value #STRIDE}th edge
 * (always including absMax), then every edge within one stride of the best; the smallest error
 * wins (the smaller threshold on ties).
 *
 * <p>The search runs on the statistics re-binned to {@value #BINS} bins: each candidate costs a pass
 * over the histogram, and on all {@link TensorStats#BINS} bins it took 64 times as long (about
 * 0.3 s per tensor) for no measured gain (resnet8_fashion int8_mse: 92.52% against 92.49%).
 */
public final class MseCalibrator implements ThresholdCalibrator {
    static final int STRIDE = 8;

    static final int BINS = 2048;

    @Override
    public double threshold(Request request) {
        if (request.allZero()) {
            return 0;
        }
        TensorStats stats = request.stats();
        long[] hist = stats.histogram(BINS);
        int levels = request.levels();
        int best = BINS - 1;
        double bestError = error(hist, best, levels);
        for (int k = STRIDE - 1; k < BINS - 1; k += STRIDE) {
            double e = error(hist, k, levels);
            if (e < bestError || (e == bestError && k < best)) {
                bestError = e;
                best = k;
            }
        }
        int coarse = best;
        for (int k = Math.max(0, coarse - STRIDE + 1); k <= Math.min(BINS - 1, coarse + STRIDE - 1); k++) {
            double e = error(hist, k, levels);
            if (e < bestError || (e == bestError && k < best)) {
                bestError = e;
                best = k;
            }
        }
        return (best + 1) * (stats.absMax() / BINS);
    }

    /**
     * Sum over bins of count * squared error, in units of bin widths squared, for the threshold at
     * the upper edge of bin {@code k}.
     */
    static double error(long[] hist, int k, int levels) {
        double t = k + 1;
        double s = t / levels;
        double sum = 0;
        for (int b = 0; b < hist.length; b++) {
            if (hist[b] == 0) {
                continue;
            }
            double c = b + 0.5;
            double q = Math.min(levels, Math.rint(c / s)) * s;
            double d = c - q;
            sum += hist[b] * d * d;
        }
        return sum;
    }
}

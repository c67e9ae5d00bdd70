package dev.qtune.compiler.quant;

/**
 * {@link CalibrationMode#PERCENTILE}: the smallest histogram bin upper edge {@code (k + 1) * binWidth}
 * whose cumulative count {@code hist[0..k]} reaches {@code percentile}% of all values. 100% gives
 * absMax. The comparison allows a relative 1e-12 so that percentiles such as 99.99, which are not
 * exact in binary, do not demand one more value than intended.
 */
public final class PercentileCalibrator implements ThresholdCalibrator {
    private static final double SLACK = 1 - 1e-12;

    @Override
    public double threshold(Request request) {
        if (request.allZero()) {
            return 0;
        }
        TensorStats stats = request.stats();
        long[] hist = stats.histogram();
        double target = request.percentile() / 100.0 * stats.count() * SLACK;
        long cumulative = 0;
        for (int k = 0; k < hist.length; k++) {
            cumulative += hist[k];
            if (cumulative > 0 && cumulative >= target) {
                return (k + 1) * stats.binWidth();
            }
        }
        return stats.absMax();
    }
}

package dev.qtune.experiments.peer;

import java.util.Arrays;

/**
 * Latency of one forward call at batch 1: median, 10th and 90th percentile in milliseconds over
 * {@code runs} timed calls (nearest-rank percentiles of the sorted times), after the warm-up.
 */
public record LatencyResult(double medianMs, double p10Ms, double p90Ms, int runs) {
    public LatencyResult {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be >= 1, but was " + runs);
        }
        if (!(p10Ms >= 0 && p10Ms <= medianMs && medianMs <= p90Ms)) {
            throw new IllegalArgumentException("latencies must satisfy 0 <= p10 <= median <= p90, but were " + p10Ms
                    + ", " + medianMs + ", " + p90Ms);
        }
    }

    /** The nearest-rank percentile {@code q} in (0, 1] of ascending {@code sorted} values. */
    static double percentile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** The result of timed calls in milliseconds (in any order). */
    static LatencyResult of(double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new LatencyResult(
                percentile(sorted, 0.5), percentile(sorted, 0.1), percentile(sorted, 0.9), sorted.length);
    }
}

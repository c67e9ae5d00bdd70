package dev.qtune.search.trial;

/** What a successful trial measured: top-1 on {@code samples} validation images, batch-1 latency, and the model size. */
public record TrialMetrics(double top1, int samples, double latencyMedianMs, double latencyP10Ms, double latencyP90Ms,
                           long sizeBytes) {
    public TrialMetrics {
        if (!(top1 >= 0 && top1 <= 1)) {
            throw new IllegalArgumentException("top1 must be in [0, 1], but was " + top1);
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, but was " + samples);
        }
        if (!(latencyMedianMs > 0)) {
            throw new IllegalArgumentException("median latency must be > 0 ms, but was " + latencyMedianMs);
        }
    }
}

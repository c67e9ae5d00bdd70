package dev.qtune.search.trial;

/**
 * What a successful trial measured: top-1 on {@code samples} images, batch-1 latency, the model
 * size, and, where the fp32 model's logits on the same images are known, the paired measures
 * against it: {@code agreement} (fraction of samples whose top class equals fp32's) and
 * {@code divergence} (mean KL(fp32 || trial) of the softmax, nats). Both are NaN when unknown.
 */
public record TrialMetrics(double top1, int samples, double latencyMedianMs, double latencyP10Ms, double latencyP90Ms,
                           long sizeBytes, double agreement, double divergence) {
    /** z for a two-sided 95% interval. */
    private static final double Z95 = 1.959964;

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

    /** Metrics without the paired measures (no fp32 reference for these images). */
    public TrialMetrics(double top1, int samples, double latencyMedianMs, double latencyP10Ms, double latencyP90Ms,
                        long sizeBytes) {
        this(top1, samples, latencyMedianMs, latencyP10Ms, latencyP90Ms, sizeBytes, Double.NaN, Double.NaN);
    }

    /** Whether the paired measures against fp32 are known. */
    public boolean paired() {
        return !Double.isNaN(divergence);
    }

    /** The 95% Wilson score interval of top-1 over {@code samples} images: {low, high}. */
    public double[] top1Interval() {
        double n = samples;
        double z2 = Z95 * Z95;
        double centre = (top1 + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z95 / (1 + z2 / n) * Math.sqrt(top1 * (1 - top1) / n + z2 / (4 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }
}

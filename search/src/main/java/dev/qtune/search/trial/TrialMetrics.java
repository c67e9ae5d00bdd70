package dev.qtune.search.trial;

/**
 * What a successful trial measured: top-1 on {@code samples} images (NaN on a split without
 * labels), batch-1 latency, the model size, and, where the fp32 model's logits on the same images
 * are known, the paired measures against it: {@code agreement} (fraction of samples whose top
 * class equals fp32's) and {@code divergence} (mean KL(fp32 || trial) of the softmax, nats), both
 * NaN when unknown; and {@code accuracy}, the value of the search's metric (top-1, top-k,
 * agreement or a command's number; higher is better), which the accuracy objective and the
 * constraint use.
 */
public record TrialMetrics(
        double top1,
        int samples,
        double latencyMedianMs,
        double latencyP10Ms,
        double latencyP90Ms,
        long sizeBytes,
        double agreement,
        double divergence,
        double accuracy) {
    /** z for a two-sided 95% interval. */
    private static final double Z95 = 1.959964;

    public TrialMetrics {
        if (!(top1 >= 0 && top1 <= 1) && !Double.isNaN(top1)) {
            throw new IllegalArgumentException("top1 must be in [0, 1] or NaN (no labels), but was " + top1);
        }
        if (!Double.isFinite(accuracy)) {
            throw new IllegalArgumentException("accuracy must be a finite number, but was " + accuracy);
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, but was " + samples);
        }
        if (!(latencyMedianMs > 0)) {
            throw new IllegalArgumentException("median latency must be > 0 ms, but was " + latencyMedianMs);
        }
    }

    /** Metrics whose accuracy is top-1. */
    public TrialMetrics(
            double top1,
            int samples,
            double latencyMedianMs,
            double latencyP10Ms,
            double latencyP90Ms,
            long sizeBytes,
            double agreement,
            double divergence) {
        this(top1, samples, latencyMedianMs, latencyP10Ms, latencyP90Ms, sizeBytes, agreement, divergence, top1);
    }

    /** Metrics without the paired measures (no fp32 reference for these images), whose accuracy is top-1. */
    public TrialMetrics(
            double top1,
            int samples,
            double latencyMedianMs,
            double latencyP10Ms,
            double latencyP90Ms,
            long sizeBytes) {
        this(top1, samples, latencyMedianMs, latencyP10Ms, latencyP90Ms, sizeBytes, Double.NaN, Double.NaN);
    }

    /** The same metrics with other latency figures (e.g. timed again side by side). */
    public TrialMetrics withLatency(double medianMs, double p10Ms, double p90Ms) {
        return new TrialMetrics(top1, samples, medianMs, p10Ms, p90Ms, sizeBytes, agreement, divergence, accuracy);
    }

    /** Whether the paired measures against fp32 are known. */
    public boolean paired() {
        return !Double.isNaN(divergence);
    }

    /** Whether top-1 is known (the split has labels). */
    public boolean labeled() {
        return !Double.isNaN(top1);
    }

    /** The 95% Wilson score interval of top-1 over {@code samples} images: {low, high} (NaN without labels). */
    public double[] top1Interval() {
        double n = samples;
        double z2 = Z95 * Z95;
        double centre = (top1 + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z95 / (1 + z2 / n) * Math.sqrt(top1 * (1 - top1) / n + z2 / (4 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }
}

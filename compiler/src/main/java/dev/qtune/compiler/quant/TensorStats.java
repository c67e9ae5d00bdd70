package dev.qtune.compiler.quant;

import java.util.Arrays;

/**
 * Calibration statistics of one fp32 tensor over the calibration set: its min and max, and a
 * histogram of |x| with {@link #BINS} equal bins over [0, absMax] (bin i covers
 * [i * absMax / BINS, (i + 1) * absMax / BINS); absMax itself falls in the last bin).
 *
 * <p>{@link #BINS} is 16384 so that the KL search has many bins per quantization level: with 2048
 * bins, unsigned 8-bit (255 levels) merges a single bin per level for every threshold below
 * {@code 2 * 255 / 2048} = 25% of absMax, where the candidate Q equals P and the divergence is
 * near zero by construction, so KL clipped every ReLU output at about a quarter of its range.
 * TVM's KL has about 4000 bins per sign (8001 over [-absMax, absMax]); 16384 leaves that artefact
 * only below 3% of absMax.
 */
public record TensorStats(String name, float min, float max, long[] histogram) {
    public static final int BINS = 16384;

    public TensorStats {
        if (!(min <= max)) {
            throw new IllegalArgumentException(
                    "tensor '" + name + "' stats min must be <= max, but were " + min + ", " + max);
        }
        if (histogram.length != BINS) {
            throw new IllegalArgumentException(
                    "tensor '" + name + "' histogram must have " + BINS + " bins, but had " + histogram.length);
        }
        histogram = histogram.clone();
    }

    public double absMax() {
        return Math.max(Math.abs((double) min), Math.abs((double) max));
    }

    /** Width of one histogram bin. */
    public double binWidth() {
        return absMax() / BINS;
    }

    /**
     * The histogram summed into {@code bins} equal bins over the same [0, absMax] ({@code bins}
     * must divide {@link #BINS}): bin k holds the collected bins [k * f, (k + 1) * f), f = BINS / bins.
     */
    public long[] histogram(int bins) {
        if (bins < 1 || BINS % bins != 0) {
            throw new IllegalArgumentException("histogram bins must divide " + BINS + ", but was " + bins);
        }
        int factor = BINS / bins;
        long[] out = new long[bins];
        for (int k = 0; k < BINS; k++) {
            out[k / factor] += histogram[k];
        }
        return out;
    }

    public long count() {
        return Arrays.stream(histogram).sum();
    }

    @Override
    public long[] histogram() {
        return histogram.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorStats t
                && name.equals(t.name)
                && Float.compare(min, t.min) == 0
                && Float.compare(max, t.max) == 0
                && Arrays.equals(histogram, t.histogram);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(histogram);
    }
}

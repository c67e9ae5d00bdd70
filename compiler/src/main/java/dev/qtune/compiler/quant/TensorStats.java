package dev.qtune.compiler.quant;

import java.util.Arrays;

/**
 * Calibration statistics of one fp32 tensor over the calibration set: its min and max, and a
 * histogram of |x| with {@link #BINS} equal bins over [0, absMax] (bin i covers
 * [i * absMax / BINS, (i + 1) * absMax / BINS); absMax itself falls in the last bin).
 */
public record TensorStats(String name, float min, float max, long[] histogram) {
    public static final int BINS = 2048;

    public TensorStats {
        if (!(min <= max)) {
            throw new IllegalArgumentException("tensor '" + name + "' stats min must be <= max, but were " + min + ", " + max);
        }
        if (histogram.length != BINS) {
            throw new IllegalArgumentException("tensor '" + name + "' histogram must have " + BINS
                    + " bins, but had " + histogram.length);
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

    public long count() {
        return Arrays.stream(histogram).sum();
    }

    @Override
    public long[] histogram() {
        return histogram.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorStats t && name.equals(t.name) && Float.compare(min, t.min) == 0
                && Float.compare(max, t.max) == 0 && Arrays.equals(histogram, t.histogram);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(histogram);
    }
}

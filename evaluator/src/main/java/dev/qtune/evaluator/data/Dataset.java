package dev.qtune.evaluator.data;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One split of a dataset in memory: unsigned byte images {@code [count, channels, height, width]}
 * and their labels. Immutable; arrays are never exposed. {@link #fill} writes float NCHW batches
 * {@code (pixel * scale - mean[c]) / std[c]}.
 */
public final class Dataset {
    private final String name;
    private final String split;
    private final boolean seenInTraining;
    private final int classes;
    private final int channels;
    private final int height;
    private final int width;
    private final byte[] pixels;
    private final byte[] labels;
    /** Per channel, the float value of each of the 256 pixel values. */
    private final float[][] lut;
    private volatile String contentHash;

    /**
     * @param pixels images, {@code count * channels * height * width} bytes, row-major NCHW (copied)
     * @param labels one byte per image, each below {@code spec.classes()} (copied)
     */
    public Dataset(DatasetSpec spec, String split, int channels, int height, int width, byte[] pixels, byte[] labels) {
        require(channels >= 1 && height >= 1 && width >= 1, "channels, height and width must be >= 1, but were "
                + channels + ", " + height + ", " + width);
        require(!spec.normalises() || spec.mean().size() == channels, "mean and std must have one value per channel ("
                + channels + "), but had " + spec.mean().size());
        long image = (long) channels * height * width;
        require(pixels.length == labels.length * image, "pixels must hold " + labels.length + " images of "
                + image + " bytes, but was " + pixels.length + " bytes");
        for (int i = 0; i < labels.length; i++) {
            require((labels[i] & 0xff) < spec.classes(), "label " + i + " must be < " + spec.classes()
                    + " (classes), but was " + (labels[i] & 0xff));
        }
        this.name = spec.name();
        this.split = split;
        SplitSpec s = spec.splits().get(split);
        this.seenInTraining = s != null && s.seenInTraining();
        this.classes = spec.classes();
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = pixels.clone();
        this.labels = labels.clone();
        this.lut = new float[channels][256];
        for (int c = 0; c < channels; c++) {
            double mean = spec.normalises() ? spec.mean().get(c) : 0.0;
            double std = spec.normalises() ? spec.std().get(c) : 1.0;
            for (int p = 0; p < 256; p++) {
                lut[c][p] = (float) ((p * spec.scale() - mean) / std);
            }
        }
    }

    public String name() {
        return name;
    }

    public String split() {
        return split;
    }

    /** Whether the spec says the model was trained on this split's items (its accuracy there is optimistic). */
    public boolean seenInTraining() {
        return seenInTraining;
    }

    public int classes() {
        return classes;
    }

    public int count() {
        return labels.length;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Floats per image: channels * height * width. */
    public int imageSize() {
        return channels * height * width;
    }

    public int label(int i) {
        checkRange(i, 1);
        return labels[i] & 0xff;
    }

    /** All labels, a fresh copy. */
    public int[] labels() {
        int[] out = new int[labels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = labels[i] & 0xff;
        }
        return out;
    }

    /** The unsigned byte pixels of images {@code [start, start + n)} in NCHW order, a fresh copy. */
    public byte[] rawPixels(int start, int n) {
        checkRange(start, n);
        return Arrays.copyOfRange(pixels, start * imageSize(), (start + n) * imageSize());
    }

    /** Writes images {@code [start, start + n)} as floats {@code [n, c, h, w]} to {@code dst[0 ..]}. */
    public void fill(int start, int n, float[] dst) {
        checkRange(start, n);
        int size = imageSize();
        int plane = height * width;
        require(dst.length >= n * size, "dst must hold at least " + n * size + " floats, but was " + dst.length);
        int src = start * size;
        int o = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                float[] values = lut[c];
                for (int p = 0; p < plane; p++) {
                    dst[o++] = values[pixels[src++] & 0xff];
                }
            }
        }
    }

    /** Images {@code [start, start + n)} as a new float array {@code [n, c, h, w]}. */
    public float[] batch(int start, int n) {
        checkRange(start, n);
        float[] out = new float[n * imageSize()];
        fill(start, n, out);
        return out;
    }

    /** Hex SHA-256 of the pixel bytes followed by the label bytes: identifies the data, not the split name. */
    public String contentHash() {
        String h = contentHash;
        if (h == null) {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                md.update(pixels);
                md.update(labels);
                h = HexFormat.of().formatHex(md.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 must be available in every JVM, but was not", e);
            }
            contentHash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return "Dataset[" + name + "/" + split + ", " + count() + " x " + channels + "x" + height + "x" + width + "]";
    }

    private void checkRange(int start, int n) {
        if (start < 0 || n < 0 || (long) start + n > labels.length) {
            throw new IndexOutOfBoundsException("range [" + start + ", " + ((long) start + n) + ") must lie in [0, "
                    + labels.length + ") of " + name + "/" + split + ", but did not");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

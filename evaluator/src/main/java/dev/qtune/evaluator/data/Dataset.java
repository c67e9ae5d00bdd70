package dev.qtune.evaluator.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One split of a dataset in memory: images {@code [count, channels, height, width]} held as
 * unsigned bytes (IDX files, uint8 arrays, decoded image files) or as floats (float32/float64
 * arrays), and their labels, or none (an unlabeled split: calibration, or a label-free metric).
 * Immutable; arrays are never exposed. {@link #fill} writes float NCHW batches
 * {@code (value * scale - mean[c]) / std[c]}, where the scale defaults to 1/255 for bytes and 1 for
 * floats (as torchvision's ToTensor).
 */
public final class Dataset {
    private final String name;
    private final String split;
    private final boolean seenInTraining;
    private final int classes;
    private final int channels;
    private final int height;
    private final int width;
    private final int count;
    private final byte[] pixels;
    private final float[] values;
    private final int[] labels;
    /** Bytes: per channel, the float value of each of the 256 pixel values. */
    private final float[][] lut;
    /** Floats: per channel, scale, mean and std. */
    private final double[][] affine;

    private volatile String contentHash;

    private Dataset(
            DatasetSpec spec,
            String split,
            int channels,
            int height,
            int width,
            byte[] pixels,
            float[] values,
            int[] labels) {
        int held = pixels != null ? pixels.length : values.length;
        this.count = count(held, channels, height, width, labels);
        check(spec, channels, height, width, held, labels, count);
        this.name = spec.name();
        this.split = split;
        SplitSpec s = spec.splits().get(split);
        this.seenInTraining = s != null && s.seenInTraining();
        this.classes = spec.classes();
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = pixels == null ? null : pixels.clone();
        this.values = values == null ? null : values.clone();
        this.labels = labels == null ? null : labels.clone();
        this.affine = affine(spec, channels, values != null);
        this.lut = pixels == null ? new float[channels][] : lut(affine);
    }

    private static void check(
            DatasetSpec spec, int channels, int height, int width, int held, int[] labels, int count) {
        require(
                channels >= 1 && height >= 1 && width >= 1,
                "channels, height and width must be >= 1, but were " + channels + ", " + height + ", " + width);
        require(
                !spec.normalises() || spec.mean().size() == channels,
                "mean and std must have one value per channel (" + channels + "), but had "
                        + spec.mean().size());
        long image = (long) channels * height * width;
        require(
                held == count * image,
                "pixels must hold " + count + " images of " + image + " values, but held " + held);
        require(
                labels == null || labels.length == count,
                "labels must number " + count + ", but were " + (labels == null ? 0 : labels.length));
        if (labels != null) {
            for (int i = 0; i < labels.length; i++) {
                require(
                        labels[i] >= 0 && labels[i] < spec.classes(),
                        "label " + i + " must be in [0, " + spec.classes() + ") (classes), but was " + labels[i]);
            }
        }
    }

    /** Per channel: scale, mean and std. */
    private static double[][] affine(DatasetSpec spec, int channels, boolean floats) {
        double scale = spec.scaleFor(floats);
        double[][] affine = new double[channels][];
        for (int c = 0; c < channels; c++) {
            double mean = spec.normalises() ? spec.mean().get(c) : 0.0;
            double std = spec.normalises() ? spec.std().get(c) : 1.0;
            affine[c] = new double[] {scale, mean, std};
        }
        return affine;
    }

    /** Per channel: the float value of each of the 256 pixel values. */
    private static float[][] lut(double[][] affine) {
        float[][] lut = new float[affine.length][256];
        for (int c = 0; c < affine.length; c++) {
            double scale = affine[c][0];
            double mean = affine[c][1];
            double std = affine[c][2];
            for (int p = 0; p < 256; p++) {
                lut[c][p] = (float) ((p * scale - mean) / std);
            }
        }
        return lut;
    }

    /**
     * Images of unsigned bytes, {@code count * channels * height * width} of them in NCHW order
     * (copied), and one label per image, each below {@code spec.classes()}, or null for none.
     */
    public static Dataset ofBytes(
            DatasetSpec spec, String split, int channels, int height, int width, byte[] pixels, int[] labels) {
        return new Dataset(spec, split, channels, height, width, pixels, null, labels);
    }

    /** As {@link #ofBytes}, for images of floats. */
    public static Dataset ofFloats(
            DatasetSpec spec, String split, int channels, int height, int width, float[] values, int[] labels) {
        return new Dataset(spec, split, channels, height, width, null, values, labels);
    }

    private static int count(int held, int channels, int height, int width, int[] labels) {
        long image = Math.max(1L, (long) channels * height * width);
        return labels != null ? labels.length : (int) (held / image);
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

    /** The spec's number of classes (0 when a spec without labels does not say). */
    public int classes() {
        return classes;
    }

    public int count() {
        return count;
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

    /** Whether the images are held as floats (from a float array) rather than unsigned bytes. */
    public boolean floats() {
        return values != null;
    }

    /** Whether this split has labels. */
    public boolean labeled() {
        return labels != null;
    }

    public int label(int i) {
        checkRange(i, 1);
        return requireLabels()[i];
    }

    /** All labels, a fresh copy. */
    public int[] labels() {
        return requireLabels().clone();
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
                if (pixels != null) {
                    float[] lookup = lut[c];
                    for (int p = 0; p < plane; p++) {
                        dst[o++] = lookup[pixels[src++] & 0xff];
                    }
                } else {
                    double scale = affine[c][0];
                    double mean = affine[c][1];
                    double std = affine[c][2];
                    for (int p = 0; p < plane; p++) {
                        dst[o++] = (float) ((values[src++] * scale - mean) / std);
                    }
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

    /**
     * Hex SHA-256 of the data: identifies it, not the split name. For bytes with labels below 256
     * it is the hash of the pixel bytes followed by one byte per label (as before floats and wide
     * labels existed, so caches stay valid); floats, labels of 256 or more, and the image shape
     * add a tag.
     */
    public String contentHash() {
        String h = contentHash;
        if (h == null) {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                boolean wide = labels != null && Arrays.stream(labels).anyMatch(l -> l > 255);
                if (values != null || wide) {
                    md.update(("qtune-data:" + (values != null ? "f32" : "u8") + ":" + channels + "x" + height + "x"
                                    + width + ":" + (labels == null ? "-" : wide ? "i32" : "u8") + ";")
                            .getBytes(StandardCharsets.US_ASCII));
                }
                if (pixels != null) {
                    md.update(pixels);
                } else {
                    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
                    b.asFloatBuffer().put(values);
                    md.update(b.array());
                }
                if (labels != null) {
                    ByteBuffer b =
                            ByteBuffer.allocate((wide ? 4 : 1) * labels.length).order(ByteOrder.LITTLE_ENDIAN);
                    for (int l : labels) {
                        if (wide) {
                            b.putInt(l);
                        } else {
                            b.put((byte) l);
                        }
                    }
                    md.update(b.array());
                }
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
        return "Dataset[" + name + "/" + split + ", " + count() + " x " + channels + "x" + height + "x" + width
                + (values != null ? " float" : "") + (labels == null ? ", unlabeled" : "") + "]";
    }

    private int[] requireLabels() {
        if (labels == null) {
            throw new DatasetException(name + "/" + split + ": expected labels (top-1 and top-k need them), found an "
                    + "unlabeled split; give the split labels, or use a label-free metric (agreement, or a command)");
        }
        return labels;
    }

    private void checkRange(int start, int n) {
        if (start < 0 || n < 0 || (long) start + n > count) {
            throw new IndexOutOfBoundsException("range [" + start + ", " + ((long) start + n) + ") must lie in [0, "
                    + count + ") of " + name + "/" + split + ", but did not");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

package dev.qtune.evaluator.data;

import dev.qtune.compiler.InputLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The images or labels of a split held in one array file: IDX (raw or gzip), {@code .npy}, or a
 * member of an {@code .npz}. The kind is told by the file's first bytes. Images become
 * {@code [count, channels, height, width]} bytes or floats (rank-4 NHWC arrays transposed), labels
 * integers.
 */
final class ArraySplit {
    /** What a file's first bytes say it is. */
    enum Kind {
        IDX,
        NPY,
        NPZ,
        OTHER
    }

    /**
     * Images of one split in NCHW order, as unsigned bytes or as floats (exactly one is non-null).
     */
    record Images(int count, int channels, int height, int width, byte[] bytes, float[] floats) {
        int imageSize() {
            return channels * height * width;
        }

        /** Items {@code [start, start + n)}, a copy. */
        Images slice(int start, int n) {
            int size = imageSize();
            return new Images(
                    n,
                    channels,
                    height,
                    width,
                    bytes == null ? null : Arrays.copyOfRange(bytes, start * size, (start + n) * size),
                    floats == null ? null : Arrays.copyOfRange(floats, start * size, (start + n) * size));
        }
    }

    private ArraySplit() {}

    static Kind kind(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(8);
        } catch (NoSuchFileException e) {
            throw new DatasetException("dataset file not found: " + file);
        } catch (IOException e) {
            throw new DatasetException(
                    file + ": expected a readable dataset file, found an I/O error: " + InputLimits.reason(e), e);
        }
        if (NpyReader.isNpy(head)) {
            return Kind.NPY;
        }
        if (NpyReader.isZip(head)) {
            return Kind.NPZ;
        }
        boolean gzip = head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
        boolean idx = head.length >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08;
        return gzip || idx ? Kind.IDX : Kind.OTHER;
    }

    /** The images of {@code file}; {@code key} names the .npz array; {@code layout} orders rank-4 arrays. */
    static Images images(Path file, Optional<String> key, Layout layout, String where) {
        Kind kind = requireKind(file, key, "images", where);
        if (kind == Kind.IDX) {
            IdxArray a = IdxReader.readImages(file);
            return new Images(a.count(), 1, a.dim(1), a.dim(2), a.data(), null);
        }
        NpyArray a = kind == Kind.NPY ? NpyReader.read(file) : NpyReader.read(file, key.orElse(null));
        String name = arrayName(file, key, kind);
        if (a.kind() == NpyArray.Kind.INTEGER) {
            throw new DatasetException(name + ": expected uint8, float32 or float64 images, found " + a.dtype());
        }
        int[] s = a.shape();
        int[] nchw = nchw(s, layout, name);
        int n = nchw[0];
        int c = nchw[1];
        int h = nchw[2];
        int w = nchw[3];
        boolean transpose = s.length == 4 && layout == Layout.NHWC && c > 1;
        if (a.kind() == NpyArray.Kind.UINT8) {
            byte[] b = a.bytesView();
            return new Images(n, c, h, w, transpose ? nhwcToNchw(b, n, c, h, w) : b, null);
        }
        float[] f = a.floatsView();
        return new Images(n, c, h, w, null, transpose ? nhwcToNchw(f, n, c, h, w) : f);
    }

    /** The file's name for messages, with the .npz array. */
    private static String arrayName(Path file, Optional<String> key, Kind kind) {
        return file
                + (kind == Kind.NPZ
                        ? " (array '"
                                + InputLimits.excerpt(
                                        key.orElse(NpyReader.keys(file).get(0))) + "')"
                        : "");
    }

    /** Count, channels, height and width of images of shape {@code s}, by rank and layout. */
    private static int[] nchw(int[] s, Layout layout, String name) {
        int n;
        int c;
        int h;
        int w;
        switch (s.length) {
            case 2 -> {
                n = s[0];
                c = 1;
                h = 1;
                w = s[1];
            }
            case 3 -> {
                n = s[0];
                c = 1;
                h = s[1];
                w = s[2];
            }
            case 4 -> {
                n = s[0];
                c = layout == Layout.NHWC ? s[3] : s[1];
                h = layout == Layout.NHWC ? s[1] : s[2];
                w = layout == Layout.NHWC ? s[2] : s[3];
            }
            default ->
                throw new DatasetException(name + ": expected images of rank 2 ([N, features]), 3 ([N, H, W]) or 4 "
                        + "([N, C, H, W] or [N, H, W, C] as layout says), found rank " + s.length);
        }
        if (c < 1 || h < 1 || w < 1) {
            throw new DatasetException(
                    name + ": expected images of at least one value each, found shape " + Arrays.toString(s));
        }
        return new int[] {n, c, h, w};
    }

    /** Labels as the file holds them, and the file's name for messages (with the .npz array). */
    record Labels(String name, long[] values) {}

    /** The labels of {@code file}; {@code key} names the .npz array. */
    static Labels labels(Path file, Optional<String> key, String where) {
        Kind kind = requireKind(file, key, "labels", where);
        if (kind == Kind.IDX) {
            byte[] b = IdxReader.readLabels(file).data();
            long[] values = new long[b.length];
            for (int i = 0; i < b.length; i++) {
                values[i] = b[i] & 0xff;
            }
            return new Labels(file.toString(), values);
        }
        NpyArray a = kind == Kind.NPY ? NpyReader.read(file) : NpyReader.read(file, key.orElse(null));
        String name = arrayName(file, key, kind);
        if (a.kind() == NpyArray.Kind.FLOAT) {
            throw new DatasetException(name + ": expected integer labels, found " + a.dtype());
        }
        int[] s = a.shape();
        if (!(s.length == 1 || s.length == 2 && s[1] == 1)) {
            throw new DatasetException(name + ": expected labels of shape [N] or [N, 1], found " + Arrays.toString(s));
        }
        return new Labels(name, a.longs());
    }

    /**
     * Labels {@code [offset, offset + n)} as ints, each checked to lie in [0, classes); errors name
     * the file, the classes' source and the item's index in the file.
     */
    static int[] slice(Labels labels, int offset, int n, int classes, String source) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            long v = labels.values()[offset + i];
            if (v < 0 || v >= classes) {
                throw new DatasetException(labels.name() + ": expected labels "
                        + (v < 0 ? ">= 0" : "< " + classes + " (classes in " + source + ")") + ", found " + v
                        + " at index " + (offset + i));
            }
            out[i] = (int) v;
        }
        return out;
    }

    private static Kind requireKind(Path file, Optional<String> key, String what, String where) {
        Kind kind = kind(file);
        if (kind == Kind.OTHER) {
            throw new DatasetException(file + ": expected an IDX, .npy or .npz file (the " + what + " of " + where
                    + "), found a file of another kind");
        }
        if (key.isPresent() && kind != Kind.NPZ) {
            throw new DatasetException(where + "." + what + "_key: must go with an .npz file, but " + file + " is "
                    + (kind == Kind.NPY ? "a .npy file" : "an IDX file"));
        }
        return kind;
    }

    static byte[] nhwcToNchw(byte[] src, int n, int c, int h, int w) {
        byte[] dst = new byte[src.length];
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            int base = i * c * plane;
            for (int p = 0; p < plane; p++) {
                for (int ch = 0; ch < c; ch++) {
                    dst[base + ch * plane + p] = src[base + p * c + ch];
                }
            }
        }
        return dst;
    }

    static float[] nhwcToNchw(float[] src, int n, int c, int h, int w) {
        float[] dst = new float[src.length];
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            int base = i * c * plane;
            for (int p = 0; p < plane; p++) {
                for (int ch = 0; ch < c; ch++) {
                    dst[base + ch * plane + p] = src[base + p * c + ch];
                }
            }
        }
        return dst;
    }
}

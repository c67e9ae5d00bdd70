package dev.qtune.evaluator.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
final class TestFiles {
    private TestFiles() {}

    /** An IDX file with the given magic, dims and data bytes, raw or gzipped. */
    static Path idx(Path file, int magic, int[] dims, byte[] data, boolean gzip) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return write(file, b.array(), gzip);
    }

    /** {@code n} images of {@code h x w} where pixel value = (image + offset in image) % 256. */
    static Path images(Path file, int n, int h, int w) {
        byte[] data = new byte[n * h * w];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ((i / (h * w)) + (i % (h * w)));
        }
        return idx(file, IdxReader.IMAGES_MAGIC, new int[] {n, h, w}, data, true);
    }

    static Path labels(Path file, int... labels) {
        byte[] data = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            data[i] = (byte) labels[i];
        }
        return idx(file, IdxReader.LABELS_MAGIC, new int[] {labels.length}, data, true);
    }

    static Path write(Path file, byte[] bytes, boolean gzip) {
        try {
            if (!gzip) {
                return Files.write(file, bytes);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                z.write(bytes);
            }
            return Files.write(file, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path text(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.qtune.evaluator.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files of unsigned bytes (the MNIST format), raw or gzip-compressed. Compression is
 * detected by the gzip magic bytes {@code 0x1f 0x8b}, not by the file name. The header is
 * big-endian: magic {@code 0x000008NN} (0x08 = unsigned byte, NN = number of dimensions), then
 * one 32-bit size per dimension.
 */
public final class IdxReader {
    /** Magic of a label file: unsigned bytes, 1 dimension. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Magic of an image file: unsigned bytes, 3 dimensions (count, height, width). */
    public static final int IMAGES_MAGIC = 0x00000803;

    private static final int UBYTE = 0x08;

    private IdxReader() {
    }

    /** Reads an image file: 3 dimensions (count, height, width). */
    public static IdxArray readImages(Path file) {
        return read(file, IMAGES_MAGIC);
    }

    /** Reads a label file: 1 dimension (count). */
    public static IdxArray readLabels(Path file) {
        return read(file, LABELS_MAGIC);
    }

    /** Reads an IDX file whose magic is {@link #LABELS_MAGIC} or {@link #IMAGES_MAGIC}. */
    public static IdxArray read(Path file) {
        return read(file, 0);
    }

    private static IdxArray read(Path file, int expectedMagic) {
        byte[] bytes = readBytes(file);
        int magic = intAt(bytes, 0, file, "the 4-byte magic");
        checkMagic(file, magic, expectedMagic);
        int[] dims = new int[magic & 0xff];
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = intAt(bytes, 4 + 4 * i, file, "dimension " + i + " of the header");
            if (dims[i] < 0) {
                throw new DatasetException(file + ": expected dimension " + i + " >= 0, found " + dims[i]);
            }
            n *= dims[i];
        }
        int header = 4 + 4 * dims.length;
        long found = bytes.length - header;
        if (found != n) {
            throw new DatasetException(file + ": expected " + n + " bytes after header (dims "
                    + Arrays.toString(dims) + "), found " + found + (found < n ? " (truncated)" : ""));
        }
        byte[] data = Arrays.copyOfRange(bytes, header, bytes.length);
        return new IdxArray(dims, data);
    }

    private static void checkMagic(Path file, int magic, int expectedMagic) {
        String expected = expectedMagic == 0
                ? hex(LABELS_MAGIC) + " or " + hex(IMAGES_MAGIC)
                : hex(expectedMagic) + (expectedMagic == IMAGES_MAGIC ? " (ubyte images, 3 dims)" : " (ubyte labels, 1 dim)");
        if ((magic >>> 16) == 0 && ((magic >>> 8) & 0xff) != UBYTE) {
            throw new DatasetException(file + ": expected element type 0x08 (unsigned byte), found 0x"
                    + String.format("%02x", (magic >>> 8) & 0xff) + " (magic " + hex(magic) + ")");
        }
        boolean ok = expectedMagic == 0 ? magic == LABELS_MAGIC || magic == IMAGES_MAGIC : magic == expectedMagic;
        if (!ok) {
            throw new DatasetException(file + ": expected magic " + expected + ", found " + hex(magic));
        }
    }

    private static byte[] readBytes(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            try (InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
                return in.readAllBytes();
            }
        } catch (NoSuchFileException e) {
            throw new DatasetException("dataset file not found: " + file);
        } catch (IOException e) {
            throw new DatasetException(file + ": expected a readable IDX file (raw or gzip), found an I/O error: " + e, e);
        }
    }

    private static int intAt(byte[] b, int offset, Path file, String what) {
        if (b.length < offset + 4) {
            throw new DatasetException(file + ": expected " + what + " at byte " + offset
                    + ", found end of file after " + b.length + " bytes (truncated)");
        }
        return (b[offset] & 0xff) << 24 | (b[offset + 1] & 0xff) << 16 | (b[offset + 2] & 0xff) << 8 | (b[offset + 3] & 0xff);
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }
}

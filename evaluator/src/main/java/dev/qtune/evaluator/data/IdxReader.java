package dev.qtune.evaluator.data;

import dev.qtune.compiler.InputLimits;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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

    private IdxReader() {}

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
        try (InputStream in = open(file)) {
            byte[] head = in.readNBytes(4);
            int magic = intAt(head, 0, file, "the 4-byte magic");
            checkMagic(file, magic, expectedMagic);
            int[] dims = new int[magic & 0xff];
            byte[] rest = in.readNBytes(4 * dims.length);
            byte[] sizes = Arrays.copyOf(head, 4 + rest.length);
            System.arraycopy(rest, 0, sizes, 4, rest.length);
            long limit = Math.min(InputLimits.dataBytes(), Integer.MAX_VALUE - 8L);
            long n = 1;
            for (int i = 0; i < dims.length; i++) {
                long d = Integer.toUnsignedLong(intAt(sizes, 4 + 4 * i, file, "dimension " + i + " of the header"));
                if (d > Integer.MAX_VALUE) {
                    throw new DatasetException(file + ": expected dimension " + i + " below 2^31, found " + d);
                }
                dims[i] = (int) d;
                n = Math.min(n * d, Long.MAX_VALUE / 2); // n < 2^31 and d < 2^31 here: no overflow
                n = n > limit ? limit + 1 : n; // kept below 2^31 for the next factor
            }
            if (n > limit) {
                throw new DatasetException(file + ": header dims " + Arrays.toString(dims) + " declare more than "
                        + limit + " bytes, the limit (raise -D" + InputLimits.DATA_BYTES + ")");
            }
            byte[] data = in.readNBytes((int) n); // never more than the header declares, even from a gzip bomb
            boolean more = data.length == n && in.read() != -1;
            if (data.length < n || more) {
                throw new DatasetException(
                        file + ": expected " + n + " bytes after header (dims " + Arrays.toString(dims) + "), found "
                                + (data.length < n ? data.length + " (truncated)" : "more"));
            }
            return new IdxArray(dims, data);
        } catch (NoSuchFileException e) {
            throw new DatasetException("dataset file not found: " + file);
        } catch (IOException e) {
            throw new DatasetException(
                    file + ": expected a readable IDX file (raw or gzip), found an I/O error: " + InputLimits.reason(e),
                    e);
        }
    }

    /** The file's content stream, through gzip when it starts with the gzip magic; only regular files. */
    private static InputStream open(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        if (!a.isRegularFile()) {
            throw new DatasetException(file + ": expected a regular IDX file, found "
                    + (a.isDirectory() ? "a folder" : "a device, FIFO or socket"));
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        return gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    private static void checkMagic(Path file, int magic, int expectedMagic) {
        String expected = expectedMagic == 0
                ? hex(LABELS_MAGIC) + " or " + hex(IMAGES_MAGIC)
                : hex(expectedMagic)
                        + (expectedMagic == IMAGES_MAGIC ? " (ubyte images, 3 dims)" : " (ubyte labels, 1 dim)");
        if ((magic >>> 16) == 0 && ((magic >>> 8) & 0xff) != UBYTE) {
            throw new DatasetException(file + ": expected element type 0x08 (unsigned byte), found 0x"
                    + String.format("%02x", (magic >>> 8) & 0xff) + " (magic " + hex(magic) + ")");
        }
        boolean ok = expectedMagic == 0 ? magic == LABELS_MAGIC || magic == IMAGES_MAGIC : magic == expectedMagic;
        if (!ok) {
            throw new DatasetException(file + ": expected magic " + expected + ", found " + hex(magic));
        }
    }

    private static int intAt(byte[] b, int offset, Path file, String what) {
        if (b.length < offset + 4) {
            throw new DatasetException(file + ": expected " + what + " at byte " + offset + ", found end of file after "
                    + b.length + " bytes (truncated)");
        }
        return (b[offset] & 0xff) << 24
                | (b[offset + 1] & 0xff) << 16
                | (b[offset + 2] & 0xff) << 8
                | (b[offset + 3] & 0xff);
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }
}

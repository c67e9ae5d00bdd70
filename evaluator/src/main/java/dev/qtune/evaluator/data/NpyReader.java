package dev.qtune.evaluator.data;

import dev.qtune.compiler.InputLimits;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads NumPy arrays: {@code .npy} files (format versions 1, 2 and 3) and the members of
 * {@code .npz} files (a zip of {@code KEY.npy} entries, stored or deflated, as {@code numpy.savez}
 * and {@code savez_compressed} write them). Element types: {@code uint8}, {@code float32},
 * {@code float64} (narrowed to float32) and the integer types; little- or big-endian; C order only.
 *
 * <p>Inputs are untrusted: the header is at most 64 KiB and must be a plain dict of
 * {@code descr}, {@code fortran_order} and {@code shape}; the declared size is checked against
 * {@link InputLimits#dataBytes()} before anything is allocated, and exactly that many bytes must
 * follow. Every failure is a one-line {@link DatasetException} naming the file (and the npz key),
 * what was expected and what was found; no file content is echoed.
 */
public final class NpyReader {
    /** The first six bytes of every .npy file. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private static final int MAX_HEADER = 64 << 10;
    private static final int CHUNK = 1 << 16;

    private NpyReader() {}

    /** Whether {@code head} (the first bytes of a file) starts like a .npy file. */
    public static boolean isNpy(byte[] head) {
        return head.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC);
    }

    /** Whether {@code head} starts like a zip file (an .npz). */
    public static boolean isZip(byte[] head) {
        return head.length >= 4
                && head[0] == 'P'
                && head[1] == 'K'
                && (head[2] == 3 && head[3] == 4 || head[2] == 5 && head[3] == 6);
    }

    /** Reads a .npy file. */
    public static NpyArray read(Path file) {
        checkFile(file, "a .npy file");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new DatasetException("dataset file not found: " + file);
        } catch (IOException e) {
            throw new DatasetException(
                    file + ": expected a readable .npy file, found an I/O error: " + InputLimits.reason(e), e);
        }
    }

    /** The keys of an .npz file: its member names without {@code .npy}, in file order. */
    public static List<String> keys(Path npz) {
        checkFile(npz, "an .npz file");
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            return keys(zip);
        } catch (ZipException e) {
            throw new DatasetException(npz + ": expected an .npz file (a zip of .npy arrays), found a broken zip");
        } catch (IOException e) {
            throw new DatasetException(
                    npz + ": expected a readable .npz file, found an I/O error: " + InputLimits.reason(e), e);
        }
    }

    /**
     * Reads the array {@code key} of an .npz file; a null key means the file's only array (an
     * error names the keys when it holds several).
     */
    public static NpyArray read(Path npz, String key) {
        checkFile(npz, "an .npz file");
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            List<String> keys = keys(zip);
            String k = key;
            if (k == null) {
                if (keys.size() != 1) {
                    throw new DatasetException(
                            npz + ": expected one array or a key naming one, found " + describe(keys));
                }
                k = keys.get(0);
            }
            ZipEntry entry = zip.getEntry(k + ".npy");
            if (entry == null || entry.isDirectory()) {
                throw new DatasetException(
                        npz + ": expected an array '" + InputLimits.excerpt(k) + "', found " + describe(keys));
            }
            try (InputStream in = new BufferedInputStream(zip.getInputStream(entry), CHUNK)) {
                return read(in, npz + " (array '" + InputLimits.excerpt(k) + "')");
            }
        } catch (NoSuchFileException e) {
            throw new DatasetException("dataset file not found: " + npz);
        } catch (ZipException e) {
            throw new DatasetException(
                    npz + ": expected an .npz file (a zip of .npy arrays), found a broken zip or member");
        } catch (IOException e) {
            throw new DatasetException(
                    npz + ": expected a readable .npz file, found an I/O error: " + InputLimits.reason(e), e);
        }
    }

    /** Reads one .npy array from a stream; {@code where} names it in errors. */
    public static NpyArray read(InputStream in, String where) throws IOException {
        byte[] pre = in.readNBytes(8);
        if (!isNpy(pre)) {
            throw new DatasetException(where + ": expected the .npy magic \\x93NUMPY, found "
                    + (pre.length < MAGIC.length ? "end of file after " + pre.length + " bytes" : "other bytes"));
        }
        if (pre.length < 8) {
            throw new DatasetException(where + ": expected a format version after the magic, found end of file");
        }
        int major = pre[6] & 0xff;
        if (major < 1 || major > 3) {
            throw new DatasetException(
                    where + ": expected .npy format version 1, 2 or 3, found " + major + "." + (pre[7] & 0xff));
        }
        byte[] len = in.readNBytes(major == 1 ? 2 : 4);
        if (len.length < (major == 1 ? 2 : 4)) {
            throw new DatasetException(where + ": expected the header length, found end of file");
        }
        long headerLength = major == 1
                ? (len[0] & 0xff) | (len[1] & 0xff) << 8
                : Integer.toUnsignedLong(
                        ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt());
        if (headerLength > MAX_HEADER) {
            throw new DatasetException(
                    where + ": expected a header of at most " + MAX_HEADER + " bytes, found " + headerLength);
        }
        byte[] header = in.readNBytes((int) headerLength);
        if (header.length < headerLength) {
            throw new DatasetException(where + ": expected a header of " + headerLength
                    + " bytes, found end of file after " + header.length + " (truncated)");
        }
        NpyHeader h = NpyHeader.parse(
                new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1), where);
        long n = h.elements(where);
        return data(in, h, n, where);
    }

    private static NpyArray data(InputStream in, NpyHeader h, long n, String where) throws IOException {
        NpyHeader.Type t = h.type();
        int count = (int) n;
        byte[] bytes = t.kind() == NpyArray.Kind.UINT8 ? new byte[count] : null;
        float[] floats = t.kind() == NpyArray.Kind.FLOAT ? new float[count] : null;
        long[] longs = t.kind() == NpyArray.Kind.INTEGER ? new long[count] : null;
        int size = t.itemSize();
        byte[] buf = new byte[CHUNK - CHUNK % size];
        int at = 0;
        while (at < count) {
            int want = (int) Math.min((long) (count - at) * size, buf.length);
            int got = in.readNBytes(buf, 0, want);
            if (got < want) {
                throw new DatasetException(where + ": expected " + n * size + " bytes of data (" + h.describe()
                        + "), found " + ((long) at * size + got) + " (truncated)");
            }
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, got).order(t.order());
            for (int i = 0; i < got / size; i++, at++) {
                if (bytes != null) {
                    bytes[at] = bb.get();
                } else if (floats != null) {
                    floats[at] = size == 4 ? bb.getFloat() : (float) bb.getDouble();
                } else {
                    longs[at] = t.integer(bb);
                }
            }
        }
        if (in.read() != -1) {
            throw new DatasetException(
                    where + ": expected " + n * size + " bytes of data (" + h.describe() + "), found more");
        }
        return NpyArray.owning(t.name(), t.kind(), h.shape(), bytes, floats, longs);
    }

    private static List<String> keys(ZipFile zip) {
        List<String> keys = new ArrayList<>();
        Enumeration<? extends ZipEntry> e = zip.entries();
        while (e.hasMoreElements()) {
            ZipEntry z = e.nextElement();
            if (!z.isDirectory() && z.getName().endsWith(".npy")) {
                keys.add(z.getName().substring(0, z.getName().length() - 4));
            }
        }
        return Collections.unmodifiableList(keys);
    }

    /** "arrays a, b, c" (at most ten, each shortened), or "no .npy member". */
    private static String describe(List<String> keys) {
        if (keys.isEmpty()) {
            return "no .npy member";
        }
        List<String> shown = keys.stream()
                .limit(10)
                .map(k -> "'" + InputLimits.excerpt(k) + "'")
                .toList();
        return (keys.size() == 1 ? "array " : "arrays ")
                + String.join(", ", shown)
                + (keys.size() > 10 ? " and " + (keys.size() - 10) + " more" : "");
    }

    private static void checkFile(Path file, String what) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                throw new DatasetException(file + ": expected " + what + " (a regular file), found "
                        + (a.isDirectory() ? "a folder" : "a device, FIFO or socket"));
            }
            if (a.size() > InputLimits.dataBytes()) {
                throw new DatasetException(file + ": expected at most " + InputLimits.dataBytes() + " bytes, found "
                        + a.size() + " (raise -D" + InputLimits.DATA_BYTES + ")");
            }
        } catch (NoSuchFileException e) {
            throw new DatasetException("dataset file not found: " + file);
        } catch (IOException e) {
            throw new DatasetException(
                    file + ": expected " + what + ", found an I/O error: " + InputLimits.reason(e), e);
        }
    }
}

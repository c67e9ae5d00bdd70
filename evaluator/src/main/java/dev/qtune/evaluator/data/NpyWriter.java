package dev.qtune.evaluator.data;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes NumPy {@code .npy} files (format 1.0, little-endian, C order), as {@code numpy.save}
 * does, and {@code .npz} files of several arrays (a zip of {@code KEY.npy}, as
 * {@code numpy.savez}): how a model's outputs and labels reach an external metric command.
 */
public final class NpyWriter {
    private NpyWriter() {}

    /** Writes float32 values of the given shape. */
    public static void write(Path file, int[] shape, float[] values) {
        write(file, bytes(shape, values));
    }

    /** Writes int64 values of the given shape. */
    public static void write(Path file, int[] shape, long[] values) {
        write(file, bytes(shape, values));
    }

    /** Writes uint8 values of the given shape. */
    public static void write(Path file, int[] shape, byte[] values) {
        write(file, bytes(shape, values));
    }

    /** Writes an .npz holding each array under its key (values: float[], long[] or byte[], with shapes in {@code shapes}). */
    public static void writeNpz(Path file, Map<String, int[]> shapes, Map<String, Object> arrays) {
        try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            for (var e : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                int[] shape = shapes.get(e.getKey());
                Object v = e.getValue();
                if (v instanceof float[] f) {
                    zip.write(bytes(shape, f));
                } else if (v instanceof long[] l) {
                    zip.write(bytes(shape, l));
                } else if (v instanceof byte[] b) {
                    zip.write(bytes(shape, b));
                } else {
                    throw new IllegalArgumentException(
                            "array " + e.getKey() + " must be float[], long[] or byte[], but was "
                                    + v.getClass().getSimpleName());
                }
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The .npy bytes of float32 values. */
    public static byte[] bytes(int[] shape, float[] values) {
        check(shape, values.length);
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return concat(header("<f4", shape), b.array());
    }

    /** The .npy bytes of int64 values. */
    public static byte[] bytes(int[] shape, long[] values) {
        check(shape, values.length);
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return concat(header("<i8", shape), b.array());
    }

    /** The .npy bytes of uint8 values. */
    public static byte[] bytes(int[] shape, byte[] values) {
        check(shape, values.length);
        return concat(header("|u1", shape), values);
    }

    /** Magic, version 1.0, header length and the dict, padded with spaces to a multiple of 64 bytes and ended by '\n'. */
    static byte[] header(String descr, int[] shape) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String tuple = shape.length == 1
                ? "(" + shape[0] + ",)"
                : "(" + (shape.length == 0 ? "" : dims.substring(0, dims.length() - 2)) + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple + ", }";
        int unpadded = NpyReader.MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String text = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(NpyReader.MAGIC);
        out.write(1);
        out.write(0);
        out.write(text.length() & 0xff);
        out.write(text.length() >>> 8);
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static void check(int[] shape, int n) {
        long p = 1;
        for (int d : shape) {
            p *= d;
        }
        if (p != n) {
            throw new IllegalArgumentException(
                    "values must number the product of the shape (" + p + "), but were " + n);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void write(Path file, byte[] bytes) {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}

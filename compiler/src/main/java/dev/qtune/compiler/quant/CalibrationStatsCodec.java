package dev.qtune.compiler.quant;

import dev.qtune.compiler.QtuneException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Binary (de)serialisation of {@link CalibrationStats}, big-endian through Data streams:
 * <pre>
 *   int    magic 0x51435354 ("QCST")
 *   int    version (2; version 1 had 2048 bins)
 *   UTF    modelHash, UTF dataHash
 *   int    samples (>= 1)
 *   int    tensor count
 *   per tensor: UTF name, float min, float max, int non-zero bins (0..16384),
 *               then per non-zero bin (strictly increasing index): unsigned short index, long count (> 0)
 *   long   CRC-32 of every byte above
 * </pre>
 * and nothing after it. Reading checks all of it: a file that is truncated, corrupt, of another
 * version or not ours fails with a {@link QtuneException} naming the file, never returns garbage.
 */
public final class CalibrationStatsCodec {
    public static final int MAGIC = 0x51435354;
    public static final int VERSION = 2;
    /** More tensors than any graph we import has values: a larger count means a corrupt file. */
    static final int MAX_TENSORS = 1 << 20;

    private CalibrationStatsCodec() {}

    /** Writes {@code stats} to {@code file} (replacing it); not atomic, see the evaluator's cache for that. */
    public static void write(CalibrationStats stats, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(stats, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write calibration statistics to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code stats} to {@code out} and flushes it; does not close it. */
    public static void write(CalibrationStats stats, OutputStream out) throws IOException {
        CRC32 crc = new CRC32();
        DataOutputStream data = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(out), crc));
        data.writeInt(MAGIC);
        data.writeInt(VERSION);
        data.writeUTF(stats.modelHash());
        data.writeUTF(stats.dataHash());
        data.writeInt(stats.samples());
        data.writeInt(stats.tensors().size());
        for (TensorStats t : stats.tensors().values()) {
            writeTensor(data, t);
        }
        data.flush();
        new DataOutputStream(out).writeLong(crc.getValue());
        out.flush();
    }

    private static void writeTensor(DataOutputStream data, TensorStats t) throws IOException {
        data.writeUTF(t.name());
        data.writeFloat(t.min());
        data.writeFloat(t.max());
        long[] h = t.histogram();
        int nonZero = 0;
        for (long c : h) {
            nonZero += c != 0 ? 1 : 0;
        }
        data.writeInt(nonZero);
        for (int i = 0; i < h.length; i++) {
            if (h[i] != 0) {
                data.writeShort(i);
                data.writeLong(h[i]);
            }
        }
    }

    /** Reads the statistics in {@code file}; any defect is a {@link QtuneException} naming it. */
    public static CalibrationStats read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new QtuneException("calibration statistics file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new QtuneException("cannot read calibration statistics file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads statistics from {@code in} up to its end; {@code source} names it in error messages. */
    public static CalibrationStats read(InputStream in, String source) {
        CRC32 crc = new CRC32();
        DataInputStream data = new DataInputStream(new CheckedInputStream(new BufferedInputStream(in), crc));
        try {
            CalibrationStats stats = readPayload(data, source);
            long expected = crc.getValue();
            long stored = data.readLong();
            if (stored != expected) {
                throw corrupt(source, "its checksum does not match its contents");
            }
            if (data.read() != -1) {
                throw corrupt(source, "it has bytes after the checksum");
            }
            return stats;
        } catch (EOFException e) {
            throw new QtuneException("calibration statistics file " + source + " is truncated", e);
        } catch (IOException e) {
            throw new QtuneException("cannot read calibration statistics file " + source + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw corrupt(source, e.getMessage());
        }
    }

    private static CalibrationStats readPayload(DataInputStream data, String source) throws IOException {
        int magic = data.readInt();
        if (magic != MAGIC) {
            throw corrupt(
                    source,
                    String.format("magic must be 0x%08x, but was 0x%08x (not a qtune statistics file)", MAGIC, magic));
        }
        int version = data.readInt();
        if (version != VERSION) {
            throw new QtuneException("calibration statistics file " + source + " must have format version " + VERSION
                    + ", but has " + version + " (delete it to recompute)");
        }
        String modelHash = data.readUTF();
        String dataHash = data.readUTF();
        int samples = data.readInt();
        int count = data.readInt();
        if (count < 0 || count > MAX_TENSORS) {
            throw corrupt(source, "tensor count must be in [0, " + MAX_TENSORS + "], but was " + count);
        }
        Map<String, TensorStats> tensors = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            TensorStats t = readTensor(data, source);
            if (tensors.put(t.name(), t) != null) {
                throw corrupt(source, "tensor '" + t.name() + "' must appear once, but appeared twice");
            }
        }
        return new CalibrationStats(modelHash, dataHash, samples, tensors);
    }

    private static TensorStats readTensor(DataInputStream data, String source) throws IOException {
        String name = data.readUTF();
        float min = data.readFloat();
        float max = data.readFloat();
        int nonZero = data.readInt();
        if (nonZero < 0 || nonZero > TensorStats.BINS) {
            throw corrupt(
                    source,
                    "tensor '" + name + "' non-zero bins must be in [0, " + TensorStats.BINS + "], but was " + nonZero);
        }
        long[] h = new long[TensorStats.BINS];
        int previous = -1;
        for (int k = 0; k < nonZero; k++) {
            int index = data.readUnsignedShort();
            long c = data.readLong();
            if (index <= previous || index >= TensorStats.BINS || c <= 0) {
                throw corrupt(
                        source,
                        "tensor '" + name + "' bin " + index + " (count " + c + ") must have an increasing index below "
                                + TensorStats.BINS + " and a count > 0");
            }
            h[index] = c;
            previous = index;
        }
        return new TensorStats(name, min, max, h);
    }

    private static QtuneException corrupt(String source, String why) {
        return new QtuneException("calibration statistics file " + source + " is corrupt: " + why);
    }
}

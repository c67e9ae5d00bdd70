package dev.qtune.compiler.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.QtuneException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationStatsCodecTest {
    @TempDir
    Path dir;

    static CalibrationStats sample() {
        Map<String, TensorStats> tensors = new LinkedHashMap<>();
        long[] dense = new long[TensorStats.BINS];
        for (int k = 0; k < dense.length; k++) {
            dense[k] = k % 3 == 0 ? 0 : 1L + k * 1_000_000_007L;
        }
        tensors.put("input", new TensorStats("input", -0.4242f, 2.8215f, dense));
        long[] sparse = new long[TensorStats.BINS];
        sparse[0] = 7;
        sparse[TensorStats.BINS - 1] = 1;
        tensors.put("conv1/relu_out ü", new TensorStats("conv1/relu_out ü", 0f, 6.5f, sparse));
        tensors.put("zero", new TensorStats("zero", 0f, 0f, new long[TensorStats.BINS]));
        return new CalibrationStats("model-sha256:abc", "data-sha256:def", 1000, tensors);
    }

    private static byte[] bytes(CalibrationStats stats) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CalibrationStatsCodec.write(stats, out);
        return out.toByteArray();
    }

    @Test
    void fileRoundTripKeepsEverythingInOrder() {
        Path file = dir.resolve("stats.bin");
        CalibrationStatsCodec.write(sample(), file);
        CalibrationStats back = CalibrationStatsCodec.read(file);
        assertEquals(sample(), back);
        assertEquals(
                List.copyOf(sample().tensors().keySet()),
                List.copyOf(back.tensors().keySet()));
    }

    @Test
    void streamRoundTripOfNoTensors() throws IOException {
        CalibrationStats empty = new CalibrationStats("m", "d", 1, Map.of());
        assertEquals(empty, CalibrationStatsCodec.read(new ByteArrayInputStream(bytes(empty)), "mem"));
    }

    @Test
    void everyTruncationIsAnErrorNamingTheFile() throws IOException {
        byte[] full = bytes(sample());
        for (int len = 0; len < full.length; len += len < 64 ? 1 : 97) {
            Path file = dir.resolve("cut-" + len + ".bin");
            Files.write(file, Arrays.copyOf(full, len));
            QtuneException e =
                    assertThrows(QtuneException.class, () -> CalibrationStatsCodec.read(file), "length " + len);
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
        Path last = dir.resolve("cut-last.bin");
        Files.write(last, Arrays.copyOf(full, full.length - 1));
        QtuneException e = assertThrows(QtuneException.class, () -> CalibrationStatsCodec.read(last));
        assertEquals("calibration statistics file " + last + " is truncated", e.getMessage());
    }

    @Test
    void everyFlippedBitIsDetected() throws IOException {
        byte[] full = bytes(sample());
        // Every byte of the header and first bins, then a prime stride through the histograms, which
        // repeat one 10-byte record (coprime with it, so every offset in a record is hit): 131 by
        // default, 13 with -Pall (qtune.test.cases=full); each read decodes the whole ~110 kB file.
        int stride = "full".equals(System.getProperty("qtune.test.cases")) ? 13 : 131;
        for (int pos = 0; pos < full.length; pos += pos < 200 ? 1 : stride) {
            for (int bit : new int[] {0, 7}) {
                byte[] bad = full.clone();
                bad[pos] ^= (byte) (1 << bit);
                String source = "flip-" + pos + "-" + bit;
                QtuneException e = assertThrows(
                        QtuneException.class,
                        () -> CalibrationStatsCodec.read(new ByteArrayInputStream(bad), source),
                        source);
                assertTrue(e.getMessage().contains(source), e.getMessage());
            }
        }
    }

    @Test
    void wrongMagicSaysItIsNotOurs() throws IOException {
        Path file = dir.resolve("other.bin");
        Files.writeString(file, "{\"json\": true}");
        QtuneException e = assertThrows(QtuneException.class, () -> CalibrationStatsCodec.read(file));
        assertEquals(
                "calibration statistics file " + file + " is corrupt: magic must be 0x51435354, but was 0x7b226a73"
                        + " (not a qtune statistics file)",
                e.getMessage());
    }

    @Test
    void otherVersionIsNamed() throws IOException {
        byte[] full = bytes(sample());
        ByteBuffer.wrap(full).putInt(4, 1);
        QtuneException e = assertThrows(
                QtuneException.class, () -> CalibrationStatsCodec.read(new ByteArrayInputStream(full), "v1.bin"));
        assertEquals(
                "calibration statistics file v1.bin must have format version 2, but has 1 (delete it to recompute)",
                e.getMessage());
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        byte[] full = bytes(sample());
        byte[] longer = Arrays.copyOf(full, full.length + 1);
        QtuneException e = assertThrows(
                QtuneException.class, () -> CalibrationStatsCodec.read(new ByteArrayInputStream(longer), "long.bin"));
        assertEquals(
                "calibration statistics file long.bin is corrupt: it has bytes after the checksum", e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("absent.bin");
        QtuneException e = assertThrows(QtuneException.class, () -> CalibrationStatsCodec.read(file));
        assertEquals("calibration statistics file " + file + " does not exist", e.getMessage());
    }
}

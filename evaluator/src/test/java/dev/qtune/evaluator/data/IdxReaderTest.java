package dev.qtune.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path tmp;

    @Test
    void readsGzipAndRawCopyOfRealFileIdentically() throws IOException {
        Path gz = DataRoot.locate().resolve("mnist/t10k-labels-idx1-ubyte.gz");
        Path raw = tmp.resolve("labels.gz"); // misleading name on purpose: detection is by magic bytes
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            Files.write(raw, in.readAllBytes());
        }
        IdxArray a = IdxReader.readLabels(gz);
        IdxArray b = IdxReader.readLabels(raw);
        assertArrayEquals(new int[] {10000}, a.dims());
        assertEquals(a, b);
        assertArrayEquals(new byte[] {7, 2, 1, 0, 4, 1, 4, 9}, Arrays.copyOf(a.data(), 8));
    }

    @Test
    void readsImagesWithThreeDims() {
        Path f = TestFiles.images(tmp.resolve("img"), 3, 2, 4);
        IdxArray a = IdxReader.readImages(f);
        assertArrayEquals(new int[] {3, 2, 4}, a.dims());
        assertEquals(24, a.data().length);
        assertEquals(1, a.data()[8]); // image 1, pixel 0
    }

    @Test
    void missingFileNamesThePath() {
        Path f = tmp.resolve("nope-idx1-ubyte.gz");
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(f));
        assertEquals("dataset file not found: " + f, e.getMessage());
    }

    @Test
    void wrongMagicNamesExpectedAndFound() {
        Path f = TestFiles.labels(tmp.resolve("labels.gz"), 1, 2, 3);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("expected magic 0x00000803"), e.getMessage());
        assertTrue(e.getMessage().contains("found 0x00000801"), e.getMessage());

        Path junk = TestFiles.write(tmp.resolve("junk"), "hello world, not idx".getBytes(), false);
        DatasetException e2 = assertThrows(DatasetException.class, () -> IdxReader.read(junk));
        assertTrue(
                e2.getMessage().contains("expected magic 0x00000801 or 0x00000803, found 0x68656c6c"), e2.getMessage());
    }

    @Test
    void nonUbyteElementTypeIsRejected() {
        Path f = TestFiles.idx(tmp.resolve("floats"), 0x00000D01, new int[] {2}, new byte[8], false);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(f));
        assertTrue(
                e.getMessage().startsWith(f + ": expected element type 0x08 (unsigned byte), found 0x0d"),
                e.getMessage());
    }

    @Test
    void truncatedDataNamesByteCounts() {
        Path f = TestFiles.idx(tmp.resolve("short.gz"), IdxReader.IMAGES_MAGIC, new int[] {2, 2, 2}, new byte[5], true);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("expected 8 bytes after header"), e.getMessage());
        assertTrue(e.getMessage().contains("found 5"), e.getMessage());
    }

    @Test
    void truncatedHeaderIsReported() {
        Path f = TestFiles.write(tmp.resolve("hdr"), new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0, 0}, false);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(f));
        assertTrue(
                e.getMessage().contains(f + ": expected dimension 1 of the header at byte 8, found end of file"),
                e.getMessage());
    }

    @Test
    void truncatedGzipStreamIsReported() throws IOException {
        Path good = TestFiles.images(tmp.resolve("ok.gz"), 50, 8, 8);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = TestFiles.write(tmp.resolve("cut.gz"), Arrays.copyOf(bytes, bytes.length / 2), false);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(cut));
        assertTrue(e.getMessage().startsWith(cut + ": expected a readable IDX file"), e.getMessage());
    }
}

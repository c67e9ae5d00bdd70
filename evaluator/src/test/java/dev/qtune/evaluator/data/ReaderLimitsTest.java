package dev.qtune.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qtune.compiler.QtuneException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: IDX and dataset-spec readers check their limits before they allocate; each refusal is one line. */
@Tag("reliability")
class ReaderLimitsTest {
    @TempDir
    Path dir;

    private static String oneLine(Runnable r) {
        QtuneException e =
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(QtuneException.class, r::run));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void imagesFromADeviceAreRefusedWithoutReading() {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        assertEquals(
                "/dev/zero: expected a regular IDX file, found a device, FIFO or socket",
                oneLine(() -> IdxReader.readImages(Path.of("/dev/zero"))));
    }

    @Test
    void aHeaderAbove2To31IsReportedUnsigned() {
        Path f = TestFiles.idx(
                dir.resolve("neg.idx"), IdxReader.IMAGES_MAGIC, new int[] {-1294967296, 28, 28}, new byte[0], false);
        assertEquals(f + ": expected dimension 0 below 2^31, found 3000000000", oneLine(() -> IdxReader.readImages(f)));
    }

    @Test
    void aHeaderBeyondTheDataLimitIsRefusedBeforeAllocating() {
        Path f = TestFiles.idx(
                dir.resolve("big.idx"), IdxReader.IMAGES_MAGIC, new int[] {2_000_000_000, 28, 28}, new byte[0], false);
        String m = oneLine(() -> IdxReader.readImages(f));
        assertTrue(
                m.startsWith(f + ": header dims [2000000000, 28, 28] declare more than 2147483639 bytes, the limit"),
                m);
    }

    @Test
    void threeDimsNear2To31DoNotOverflowALong() {
        // found by InputFuzzTest: (2^31-1)^3 overflowed Math.multiplyExact into an ArithmeticException
        int big = Integer.MAX_VALUE;
        Path f = TestFiles.idx(
                dir.resolve("huge.idx"), IdxReader.IMAGES_MAGIC, new int[] {big, big, big}, new byte[0], false);
        assertTrue(oneLine(() -> IdxReader.readImages(f)).contains("declare more than"));
    }

    @Test
    void aGzipBombStopsAtTheDeclaredSize() throws Exception {
        Path f = dir.resolve("bomb.idx.gz");
        byte[] zeros = new byte[1 << 20];
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(ByteBuffer.allocate(16)
                    .putInt(IdxReader.IMAGES_MAGIC)
                    .putInt(10)
                    .putInt(28)
                    .putInt(28)
                    .array());
            for (int i = 0; i < 256; i++) { // 256 MiB of zeros, about 250 kB compressed
                out.write(zeros);
            }
        }
        long before = usedHeap();
        String m = oneLine(() -> IdxReader.readImages(f));
        assertEquals(f + ": expected 7840 bytes after header (dims [10, 28, 28]), found more", m);
        assertTrue(usedHeap() - before < 256L << 20, "the bomb was not expanded into memory");
    }

    @Test
    void aSpecFileOfFiftyMegabytesIsRefusedQuickly() throws Exception {
        Path f = dir.resolve("huge.yaml");
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write("name: \"".getBytes());
            out.write(new byte[50 << 20]);
        }
        long t0 = System.nanoTime();
        String m = oneLine(() -> DatasetSpecReader.read(f));
        assertTrue(m.startsWith(f + ": a dataset spec file must be at most 4194304 bytes, but is 52428807"), m);
        assertTrue((System.nanoTime() - t0) / 1e9 < 5, "refused in seconds, not minutes");
    }

    @Test
    void deepNestingIsRefused() throws Exception {
        Path f = Files.writeString(dir.resolve("deep.yaml"), "name: " + "[".repeat(5000) + "]".repeat(5000) + "\n");
        String m = oneLine(() -> DatasetSpecReader.read(f));
        assertTrue(m.startsWith(f.toString()) && m.length() < 400, m);
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}

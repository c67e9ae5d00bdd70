package dev.qtune.evaluator.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.CalibrationStats;
import dev.qtune.compiler.quant.CalibrationStatsCodec;
import dev.qtune.compiler.quant.StatsCollector;
import dev.qtune.compiler.quant.TensorStats;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationCacheTest {
    @TempDir
    Path dir;

    private final AtomicInteger computed = new AtomicInteger();

    /** A supplier that counts its calls and labels its one tensor with the keys it was asked for. */
    private Supplier<Map<String, TensorStats>> compute(String label) {
        return () -> {
            computed.incrementAndGet();
            long[] h = new long[TensorStats.BINS];
            h[label.length()] = 5;
            h[TensorStats.BINS - 1] = computed.get();
            return Map.of(label, new TensorStats(label, -1f, 2.5f, h));
        };
    }

    private CalibrationCache.CachedStats get(String model, String data, int samples) {
        return CalibrationCache.getOrCompute(dir, model, data, samples, compute(model + "/" + data + "/" + samples));
    }

    @Test
    void missThenHitComputesOnce() throws IOException {
        CalibrationCache.CachedStats first = get("m1", "d1", 1000);
        assertFalse(first.hit());
        assertEquals(1, computed.get());
        assertEquals(new CalibrationStats("m1", "d1", 1000, first.stats().tensors()), first.stats());
        assertTrue(Files.isRegularFile(first.file()));
        assertEquals(
                dir.resolve("calibration").toAbsolutePath().normalize(),
                first.file().getParent());

        CalibrationCache.CachedStats second = get("m1", "d1", 1000);
        assertTrue(second.hit());
        assertEquals(1, computed.get(), "a hit must not call the supplier");
        assertEquals(first.stats(), second.stats());
        assertEquals(first.file(), second.file());
        try (Stream<Path> files = Files.list(first.file().getParent())) {
            assertEquals(List.of(first.file()), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void eachKeyHasItsOwnFile() {
        List<CalibrationCache.CachedStats> all = List.of(
                get("m1", "d1", 1000),
                get("m2", "d1", 1000),
                get("m1", "d2", 1000),
                get("m1", "d1", 500),
                get("m1d", "1", 1000),
                get("m1", "d11", 100));
        assertEquals(6, computed.get());
        Set<Path> files = new HashSet<>();
        all.forEach(c -> files.add(c.file()));
        assertEquals(6, files.size());
        List<CalibrationCache.CachedStats> again = List.of(
                get("m1", "d1", 1000),
                get("m2", "d1", 1000),
                get("m1", "d2", 1000),
                get("m1", "d1", 500),
                get("m1d", "1", 1000),
                get("m1", "d11", 100));
        assertEquals(6, computed.get());
        for (int i = 0; i < all.size(); i++) {
            assertTrue(again.get(i).hit());
            assertEquals(all.get(i).stats(), again.get(i).stats());
        }
    }

    @Test
    void hashesWithPathCharactersMakeSafeFileNames() {
        CalibrationCache.CachedStats c = get("../../etc/passwd", "a b:c*?", 3);
        assertEquals(
                dir.resolve("calibration").toAbsolutePath().normalize(),
                c.file().getParent());
        assertTrue(
                c.file()
                        .getFileName()
                        .toString()
                        .matches("stats-v" + CalibrationStatsCodec.VERSION + "-etcpasswd-abc-n3-[0-9a-f]{24}\\.qcs"),
                c.file().toString());
    }

    @Test
    void corruptCacheFileIsRecomputedAndReplaced() throws IOException {
        CalibrationCache.CachedStats first = get("m", "d", 10);
        byte[] bytes = Files.readAllBytes(first.file());
        bytes[bytes.length / 2] ^= 1;
        Files.write(first.file(), bytes);
        CalibrationCache.CachedStats again = get("m", "d", 10);
        assertFalse(again.hit());
        assertEquals(2, computed.get());
        assertEquals(again.stats(), CalibrationStatsCodec.read(first.file()));
        assertTrue(get("m", "d", 10).hit());
    }

    @Test
    void fileHoldingOtherKeysIsNotTrusted() {
        Path file = CalibrationCache.fileFor(dir, "m", "d", 10);
        get("other", "d", 10);
        CalibrationCache.CachedStats other = get("other", "d", 10);
        CalibrationStatsCodec.write(other.stats(), createParent(file));
        CalibrationCache.CachedStats mine = get("m", "d", 10);
        assertFalse(mine.hit());
        assertEquals("m", mine.stats().modelHash());
    }

    @Test
    void unwritableCacheStillReturnsTheStatistics() throws IOException {
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x");
        CalibrationCache.CachedStats c = CalibrationCache.getOrCompute(notADir, "m", "d", 10, compute("t"));
        assertFalse(c.hit());
        assertEquals(1, computed.get());
        assertEquals(Set.of("t"), c.stats().tensors().keySet());
    }

    @Test
    void defaultDirPrefersPropertyThenEnvironmentThenHome() {
        assertEquals(Path.of("/p"), CalibrationCache.resolveDir("/p", "/e", "/h"));
        assertEquals(Path.of("/e"), CalibrationCache.resolveDir(null, "/e", "/h"));
        assertEquals(Path.of("/e"), CalibrationCache.resolveDir(" ", "/e", "/h"));
        assertEquals(Path.of("/h", ".cache", "qtune"), CalibrationCache.resolveDir(null, "", "/h"));
        String old = System.getProperty(CalibrationCache.PROPERTY);
        try {
            System.setProperty(CalibrationCache.PROPERTY, dir.toString());
            assertEquals(dir, CalibrationCache.defaultDir());
        } finally {
            if (old == null) {
                System.clearProperty(CalibrationCache.PROPERTY);
            } else {
                System.setProperty(CalibrationCache.PROPERTY, old);
            }
        }
    }

    @Test
    void keysAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> get("", "d", 10));
        assertEquals("model hash must not be blank, but was ''", e.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> get("m", "d", 0));
        assertEquals("calibration samples must be >= 1, but was 0", s.getMessage());
        assertNotEquals(CalibrationCache.fileFor(dir, "ab", "c", 1), CalibrationCache.fileFor(dir, "a", "bc", 1));
    }

    /** The real thing: resnet8 on the 1000 fashion-mnist calibration images, two threads. */
    @Test
    @Tag("slow")
    void resnet8FashionStatisticsAreCollectedOnceThenRead() {
        Fp32Interpreter model = new Fp32Interpreter(
                PassPipeline.prerequisites().run(OnnxImporter.load(Path.of("..", "models", "resnet8_fashion.onnx"))));
        Dataset data = Datasets.load("fashion-mnist", "calibration");
        Supplier<Map<String, TensorStats>> collect = () -> {
            computed.incrementAndGet();
            return StatsCollector.collect(model, data.count(), data::batch, 2);
        };
        CalibrationCache.CachedStats miss =
                CalibrationCache.getOrCompute(dir, "resnet8", data.contentHash(), 1000, collect);
        CalibrationCache.CachedStats hit =
                CalibrationCache.getOrCompute(dir, "resnet8", data.contentHash(), 1000, collect);
        System.out.printf(
                "resnet8_fashion, %d calibration images, 2 threads: collected in %.2f s, read back in %.3f s%n",
                data.count(), miss.seconds(), hit.seconds());
        assertFalse(miss.hit());
        assertTrue(hit.hit());
        assertEquals(1, computed.get());
        assertEquals(miss.stats(), hit.stats());
        TensorStats input = miss.stats().tensors().values().iterator().next();
        assertEquals(1000L * 784, input.count());
        assertTrue(
                miss.stats().tensors().size() > 10,
                "values: " + miss.stats().tensors().keySet());
    }

    private static Path createParent(Path file) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}

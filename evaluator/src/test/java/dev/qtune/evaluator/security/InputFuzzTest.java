package dev.qtune.evaluator.security;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.evaluator.data.DatasetSpecReader;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.evaluator.data.IdxReader;
import dev.qtune.evaluator.data.NpyReader;
import dev.qtune.evaluator.data.NpyWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 (and 18: NumPy and PNG): mutated ONNX, YAML, IDX, .npy, .npz and PNG bytes (seeded) give either a result or one of qtune's own
 * one-line errors, never another exception, a hang or minutes of work. CI runs
 * {@value #DEFAULT_ITERATIONS} inputs per reader; {@code -Dqtune.fuzz.iterations=N} runs more
 * ({@code -Dqtune.fuzz.seed=S} another corpus). Figures go to stdout (the test's output file).
 */
@Tag("reliability")
class InputFuzzTest {
    static final int DEFAULT_ITERATIONS = 150;
    static final int ITERATIONS = Integer.getInteger("qtune.fuzz.iterations", DEFAULT_ITERATIONS);
    static final long SEED = Long.getLong("qtune.fuzz.seed", 17L);
    static final String QCONFIG = """
            calibration_samples: 100
            defaults: {weight_bits: 8, activation_bits: 8, activation_calibration: kl}
            layers:
              - match: "fc*"
                weight_bits: 4
                skip: false
            """;
    static final String SPEC = """
            name: tiny
            classes: 10
            mean: [0.1307]
            std: [0.3081]
            splits:
              test: {images: images.idx, labels: labels.idx}
            """;

    @TempDir
    Path dir;

    @Test
    void mutatedOnnxModels() throws Exception {
        byte[] seed = Files.readAllBytes(Path.of("../models/lenet5_mnist.onnx"));
        fuzz("onnx", seed, b -> OnnxImporter.parse(b, "fuzz.onnx"));
    }

    @Test
    void mutatedQuantConfigs() {
        fuzz(
                "quant-config yaml",
                QCONFIG.getBytes(StandardCharsets.UTF_8),
                b -> QuantConfigReader.parse(new String(b, StandardCharsets.UTF_8), "fuzz.yaml"));
    }

    @Test
    void mutatedDatasetSpecs() {
        fuzz(
                "dataset-spec yaml",
                SPEC.getBytes(StandardCharsets.UTF_8),
                b -> DatasetSpecReader.read(new ByteArrayInputStream(b), "fuzz.yaml"));
    }

    @Test
    void mutatedIdxFiles() {
        ByteBuffer idx = ByteBuffer.allocate(16 + 10 * 28 * 28)
                .putInt(IdxReader.IMAGES_MAGIC)
                .putInt(10)
                .putInt(28)
                .putInt(28);
        Path f = dir.resolve("fuzz.idx");
        fuzz("idx", idx.array(), b -> {
            try {
                Files.write(f, b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            IdxReader.readImages(f);
        });
    }

    @Test
    void mutatedNpyFiles() {
        float[] values = new float[10 * 28 * 28];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 255;
        }
        Path f = dir.resolve("fuzz.npy");
        fuzz("npy", NpyWriter.bytes(new int[] {10, 28, 28}, values), b -> {
            write(f, b);
            NpyReader.read(f);
        });
    }

    @Test
    void mutatedNpzFiles() {
        Path seed = dir.resolve("seed.npz");
        Map<String, int[]> shapes = new LinkedHashMap<>();
        Map<String, Object> arrays = new LinkedHashMap<>();
        shapes.put("x", new int[] {10, 28, 28});
        arrays.put("x", new byte[10 * 28 * 28]);
        shapes.put("y", new int[] {10});
        arrays.put("y", new long[10]);
        NpyWriter.writeNpz(seed, shapes, arrays);
        Path f = dir.resolve("fuzz.npz");
        fuzz("npz", read(seed), b -> {
            write(f, b);
            NpyReader.read(f, "x");
            NpyReader.read(f, "y");
        });
    }

    @Test
    void mutatedPngFiles() throws Exception {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 28; i++) {
            image.getRaster().setSample(i, i, 0, 200);
        }
        Path seed = dir.resolve("seed.png");
        ImageIO.write(image, "png", seed.toFile());
        Path folder = Files.createDirectories(dir.resolve("images"));
        Path spec = Files.writeString(
                dir.resolve("png.yaml"),
                "name: fuzz\nimage: {channels: 3, resize: 20}\n" + "splits:\n  calibration: {images: images}\n");
        fuzz("png", read(seed), b -> {
            write(folder.resolve("a.png"), b);
            Datasets.load(spec.toString(), "calibration");
        });
    }

    private static void write(Path f, byte[] b) {
        try {
            Files.write(f, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void fuzz(String kind, byte[] seed, Consumer<byte[]> reader) {
        Random random = new Random(SEED ^ kind.hashCode());
        long[] worst = {0};
        int[] errors = {0};
        long budget = Math.max(60, ITERATIONS / 5L);
        long heapBefore = usedHeap();
        long[] peak = {heapBefore};
        assertTimeoutPreemptively(
                Duration.ofSeconds(budget),
                () -> {
                    for (int i = 0; i < ITERATIONS; i++) {
                        byte[] input = FuzzMutations.mutate(seed, random);
                        long t0 = System.nanoTime();
                        try {
                            reader.accept(input);
                        } catch (QtuneException e) {
                            errors[0]++;
                            if (e.getMessage() == null
                                    || e.getMessage().lines().count() != 1
                                    || e.getMessage().length() > 2000) {
                                fail(kind + " input " + i + " (seed " + SEED + "): not a short one-line error: "
                                        + e.getMessage());
                            }
                        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                            throw new AssertionError(
                                    kind + " input " + i + " (seed " + SEED + ", " + input.length + " bytes) threw "
                                            + e,
                                    e);
                        }
                        worst[0] = Math.max(worst[0], System.nanoTime() - t0);
                        peak[0] = Math.max(peak[0], usedHeap());
                    }
                },
                kind + ": " + ITERATIONS + " inputs within " + budget + " s");
        System.out.printf(
                "fuzz %s: %d inputs, %d one-line errors, 0 crashes, worst %.1f ms, heap peak %d MB%n",
                kind, ITERATIONS, errors[0], worst[0] / 1e6, peak[0] >> 20);
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}

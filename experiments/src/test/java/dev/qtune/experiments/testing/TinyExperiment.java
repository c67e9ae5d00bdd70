package dev.qtune.experiments.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A small real search for tests: mlp_mnist, 200 calibration and validation images, short timing. */
public final class TinyExperiment {
    /** The repository root, seen from a module directory (Maven's working directory for tests). */
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private TinyExperiment() {}

    /**
     * Writes {@code dir/exp.yaml}: nsga2 with {@code trials} trials in batches of {@code batch}, the
     * given seed, at most {@code finalMax} front members re-measured, and any {@code extra} lines.
     */
    public static Path write(Path dir, String name, int trials, int batch, int finalMax, long seed, String... extra)
            throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "name: " + name,
                "model: " + ROOT.resolve("models").resolve("mlp_mnist.onnx"),
                "dataset: {name: mnist, calibration_samples: 200, validation_samples: 200}",
                "target: auto",
                "space:",
                "  weight_bits: [8, 6, 4, 3]",
                "  activation_bits: [8, 6]",
                "  calibration: [max, kl, percentile]",
                "strategy: {name: nsga2, batch_size: " + batch + ", sensitivity_seeds: false}",
                "budget: {trials: " + trials + "}",
                "measure: {bench_seconds: 0.05, final_bench_seconds: 0.1, final_samples: 300, final_max: " + finalMax
                        + "}",
                "seed: " + seed));
        lines.addAll(List.of(extra));
        Path file = dir.resolve("exp.yaml");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }
}

package dev.qtune.search.trial;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.metric.MetricSpec;
import dev.qtune.targets.Target;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What every trial of a search shares: the model (file, prepared fp32 graph, content hash), the
 * calibration, validation and test splits, the target, the cache folder (calibration statistics,
 * fp32 reference predictions, compiled modules), the search's seed, and the threads one trial's
 * native inference may use (latency is always measured at {@code benchThreads}), and the fp32
 * model's logits on the first validation images (empty when not computed), against which trials
 * are compared sample by sample, and the metric every trial's accuracy is measured with.
 */
public record TrialSetup(
        Path modelFile,
        Graph fp32,
        String modelHash,
        Dataset calibration,
        Dataset validation,
        Dataset test,
        Target target,
        Path cacheDir,
        long seed,
        int inferThreads,
        int benchThreads,
        float[] validationLogits,
        MetricSpec metric) {
    public TrialSetup {
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(fp32, "fp32");
        Objects.requireNonNull(modelHash, "modelHash");
        Objects.requireNonNull(calibration, "calibration");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(validationLogits, "validationLogits");
        Objects.requireNonNull(metric, "metric");
        if (inferThreads < 1 || benchThreads < 1) {
            throw new IllegalArgumentException(
                    "threads must be >= 1, but were " + inferThreads + " and " + benchThreads);
        }
    }
}

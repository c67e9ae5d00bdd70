package dev.qtune.experiments.config;

import dev.qtune.evaluator.metric.MetricSpec;
import dev.qtune.search.loop.FailureRule;
import dev.qtune.search.loop.Objective;
import dev.qtune.search.space.SpaceSpec;
import dev.qtune.search.strategy.StrategySpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An experiment file, read and checked (schema: docs/config.md). Paths are resolved already.
 *
 * @param name          the experiment's name (report titles, default output folder)
 * @param file          the file it came from
 * @param model         the fp32 ONNX model
 * @param dataset       built-in dataset name or dataset spec file
 * @param calibrationSamples images of the calibration split the statistics come from
 * @param validationSamples  images of the validation split each search trial is scored on
 * @param target        target name, or "auto" for this host's best native target
 * @param baseQconfig   quant config whose global settings and defaults every trial starts from
 * @param space         what the search may choose
 * @param strategy      the strategy and its settings (seeded with {@code seed})
 * @param budget        when to stop
 * @param objectives    accuracy and latency, optionally size
 * @param constraint    the allowed top-1 drop, if any
 * @param onFailure     the rule for failed trials
 * @param measure       latency timing and the final re-measure
 * @param executor      where trials run: Spark (embedded local[*] by default) or threads of this process
 * @param output        the run directory
 * @param seed          the seed of every random choice
 * @param baselines     pre-quantized models evaluated once each as reference points (labels unique)
 * @param seeds         quant config files evaluated first, in the search's first generation
 * @param metric        what the accuracy objective and the constraint measure (top-1 by default)
 */
public record ExperimentConfig(
        String name,
        Path file,
        Path model,
        String dataset,
        int calibrationSamples,
        int validationSamples,
        String target,
        Optional<Path> baseQconfig,
        SpaceSpec space,
        StrategySpec strategy,
        Budget budget,
        List<Objective> objectives,
        Optional<AccuracyConstraint> constraint,
        FailureRule onFailure,
        Measure measure,
        Executor executor,
        Path output,
        long seed,
        List<Baseline> baselines,
        List<Path> seeds,
        MetricSpec metric) {
    public ExperimentConfig {
        Objects.requireNonNull(metric, "metric");
        seeds = List.copyOf(seeds);
        Objects.requireNonNull(name, "name");
        objectives = List.copyOf(objectives);
        Objects.requireNonNull(executor, "executor");
        baselines = List.copyOf(baselines);
    }

    /**
     * A reference point of the search: a pre-quantized (QDQ) ONNX file, evaluated once on the
     * search's data and target, and drawn on the report's plot with its label.
     */
    public record Baseline(String label, Path file) {
        public Baseline {
            Objects.requireNonNull(file, "file");
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("baseline label must not be blank, but was '" + label + "'");
            }
        }
    }

    /**
     * Where trials run. {@code spark}: each batch is a Spark job on {@code master} (default
     * {@code local[workers]}, or {@code local[*]} when workers is not given); {@code local}: a pool of
     * {@code workers} threads (default 1). {@code workers} is 0 when the file does not say.
     */
    public record Executor(String type, int workers, Optional<String> master) {
        public static final String SPARK = "spark";
        public static final String LOCAL = "local";
        public static final Executor DEFAULT = new Executor(SPARK, 0, Optional.empty());

        public Executor {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(master, "master");
        }

        public boolean spark() {
            return type.equals(SPARK);
        }

        /** The Spark master of a spark executor: the file's, else local[workers], else local[*]. */
        public String sparkMaster() {
            return master.orElse(workers > 0 ? "local[" + workers + "]" : "local[*]");
        }

        /** Threads of a local executor. */
        public int threads() {
            return Math.max(1, workers);
        }
    }

    /**
     * When the search stops: after {@code trials} trials, or {@code generations} (0 = no limit), or
     * wall-clock seconds (0 = no limit), or {@code patience} generations in a row without a
     * hypervolume gain (0 = no limit), or at the first trial that meets {@code exit} (if given).
     */
    public record Budget(int trials, int generations, double wallClockSeconds, int patience, Optional<Exit> exit) {}

    /**
     * The accuracy-driven exit (as Neural Compressor's exit policy): stop at the first measured
     * config whose top-1 drop against fp32 is within {@code maxDrop} and whose latency is at most
     * {@code latencyRatio} times the base config's.
     */
    public record Exit(AccuracyConstraint maxDrop, double latencyRatio) {}

    /**
     * Latency timing per search trial ({@code benchSeconds}); the final re-measure of the front:
     * {@code finalBenchSeconds} of timing, {@code finalSamples} test images (0 = the whole test set),
     * at most {@code finalMax} front members (0 = skip the re-measure).
     */
    public record Measure(double benchSeconds, double finalBenchSeconds, int finalSamples, int finalMax) {}

    /** This experiment with another run directory (--out). */
    public ExperimentConfig withOutput(Path dir) {
        return new ExperimentConfig(
                name,
                file,
                model,
                dataset,
                calibrationSamples,
                validationSamples,
                target,
                baseQconfig,
                space,
                strategy,
                budget,
                objectives,
                constraint,
                onFailure,
                measure,
                executor,
                dir,
                seed,
                baselines,
                seeds,
                metric);
    }
}

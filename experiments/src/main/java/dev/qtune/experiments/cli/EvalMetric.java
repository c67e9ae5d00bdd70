package dev.qtune.experiments.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.interp.IntegerInterpreter;
import dev.qtune.compiler.interp.ParallelRuns;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.quant.QuantConfigException;
import dev.qtune.evaluator.accuracy.AccuracyResult;
import dev.qtune.evaluator.calibration.CalibrationCache;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.metric.MetricException;
import dev.qtune.evaluator.metric.MetricSpec;
import dev.qtune.evaluator.metric.Metrics;
import dev.qtune.evaluator.quant.QuantEvaluation;
import dev.qtune.evaluator.quant.ReferenceLogits;
import dev.qtune.experiments.config.MetricReader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;

/**
 * {@code qtune eval --metric SPEC}: the metric of an experiment file (top1, agreement, top_k,
 * command; docs/config.md, "Metrics") on the model's outputs for the samples eval scores, beside
 * top-1. Agreement compares with the fp32 model's outputs on the same samples (cached); a command
 * runs in the working directory.
 */
final class EvalMetric {
    private static final int BATCH = 50;
    private final MetricSpec spec;
    private final Path model;
    private final Dataset data;
    private final int samples;
    private final int threads;

    private EvalMetric(MetricSpec spec, Path model, Dataset data, int limit, int threads) {
        this.spec = spec;
        this.model = model;
        this.data = data;
        this.samples = limit <= 0 ? data.count() : Math.min(limit, data.count());
        this.threads = threads;
    }

    /** The parsed --metric; a bad one is a command-line error naming the option, the key and what was expected. */
    static EvalMetric parse(CommandLine cmd, String text, Path model, Dataset data, int limit, int threads) {
        try {
            return new EvalMetric(
                    MetricReader.parse(text, "--metric", Path.of("").toAbsolutePath()), model, data, limit, threads);
        } catch (QuantConfigException e) {
            throw new CommandLine.ParameterException(cmd, e.getMessage());
        }
    }

    MetricSpec spec() {
        return spec;
    }

    /** The samples eval scores: the first --limit of the split, or all. */
    int samples() {
        return samples;
    }

    /** The fp32 model's outputs on the samples (n x classes, row by row), from the reference cache. */
    float[] fp32Outputs(Graph fp32) {
        return ReferenceLogits.get(
                CalibrationCache.defaultDir(), QuantEvaluation.sha256(model), fp32, data, samples, threads);
    }

    /** The metric of {@code outputs} ({@code graph}'s, on the samples); {@code fp32} is null for a pre-quantized model. */
    double score(float[] outputs, Graph graph, Graph fp32) {
        if (spec.needsReference() && fp32 == null) {
            throw new QtuneException(
                    "--metric agreement compares with the fp32 model, but " + model + " is pre-quantized: it has none");
        }
        try {
            return Metrics.score(
                    spec,
                    data,
                    samples,
                    outputs,
                    Metrics.sampleShape(graph, outputs.length / samples),
                    spec.needsReference() ? fp32Outputs(fp32) : null);
        } catch (MetricException e) {
            throw new QtuneException("--metric " + spec.label() + ": " + e.getMessage(), e);
        }
    }

    /** Runs the integer interpreter on {@code graph} over the samples: its outputs and top-1 from them. */
    Outputs integer(Graph graph) {
        long start = System.nanoTime();
        IntegerInterpreter interpreter = new IntegerInterpreter(graph);
        AtomicInteger done = new AtomicInteger();
        List<float[]> rows;
        try (ConsoleProgress progress = new ConsoleProgress("eval int " + model.getFileName())) {
            rows = ParallelRuns.batches("qtune-eval", threads, samples, BATCH, "evaluation", (first, n) -> {
                float[] y = interpreter.run(data.batch(first, n), n).floats();
                progress.progress(done.addAndGet(n), samples);
                return y;
            });
        }
        float[] out = concat(rows);
        AccuracyResult top1 = ReferenceLogits.accuracy(out, data, samples);
        return new Outputs(
                out,
                new AccuracyResult(samples, top1.correct(), (System.nanoTime() - start) / 1e9, top1.predictions()));
    }

    private static float[] concat(List<float[]> rows) {
        float[] out = new float[rows.stream().mapToInt(r -> r.length).sum()];
        int at = 0;
        for (float[] r : rows) {
            System.arraycopy(r, 0, out, at, r.length);
            at += r.length;
        }
        return out;
    }

    /** A model's outputs on the samples and its top-1 from them. */
    record Outputs(float[] values, AccuracyResult accuracy) {}

    /** Adds {@code metric} {name, title, fraction}, {@code accuracy} and (NaN: left out) {@code accuracy_fp32}. */
    void addJson(ObjectNode o, double value, double fp32) {
        o.putObject("metric")
                .put("name", spec.label())
                .put("title", spec.title())
                .put("fraction", spec.fraction());
        o.put("accuracy", value);
        if (!Double.isNaN(fp32)) {
            o.put("accuracy_fp32", fp32);
        }
    }

    /** ", top5 99.12%" or ", my_top1 0.9712 (fp32 0.9730)" for the text line. */
    String text(double value, double fp32) {
        return ", " + spec.title() + " " + spec.format(value)
                + (Double.isNaN(fp32) ? "" : " (fp32 " + spec.format(fp32) + ")");
    }
}

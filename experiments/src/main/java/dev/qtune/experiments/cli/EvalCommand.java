package dev.qtune.experiments.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.interp.IntegerInterpreter;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.quant.QuantConfigFile;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.evaluator.accuracy.AccuracyEvaluator;
import dev.qtune.evaluator.accuracy.AccuracyResult;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.evaluator.nativecode.NativeRun;
import dev.qtune.evaluator.quant.QuantEvalResult;
import dev.qtune.evaluator.quant.ReferenceLogits;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `qtune eval MODEL --data NAME [--qconfig FILE] [--split S] [--limit N] [--threads T] [--metric SPEC] [--json]`:
 * top-1 of the fp32 interpreter, or with --qconfig of the integer interpreter on the quantized model;
 * a pre-quantized (QDQ) model runs on the integer interpreter with the file's own scales. --metric
 * adds an experiment's metric (top_k, agreement, a command) on the same outputs.
 */
@Command(
        name = "eval",
        description = "Measure a model's top-1 accuracy on a dataset split: fp32, or quantized with --qconfig.")
final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "ONNX model file.")
    Path model;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "NAME|SPEC.yaml",
            description = "Built-in dataset (mnist, fashion-mnist) or a dataset spec file.")
    String data;

    @Option(names = "--split", defaultValue = "test", description = "Dataset split (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(
            names = "--limit",
            defaultValue = "0",
            paramLabel = "N",
            description = "Evaluate only the first N samples (default: all).")
    int limit;

    @Mixin
    WorkerThreads.Any threads;

    @Option(
            names = "--qconfig",
            paramLabel = "FILE",
            description =
                    "Quantization config (YAML): quantize, calibrating on the dataset's calibration split, and run the integer interpreter.")
    Path qconfig;

    @Option(
            names = "--compare-simulated",
            description =
                    "With --qconfig: also run the simulated (fake-quantized fp32) model and report its agreement with the integer one.")
    boolean compareSimulated;

    @Option(names = "--json", description = "Print JSON (keys: model, precision, top1, samples, seconds, ...).")
    boolean json;

    @Option(
            names = "--target",
            paramLabel = "T",
            description =
                    "Generate, build and run native code for this target (see `qtune targets`); accuracy from its predictions.")
    String target;

    @Option(names = "--bench", description = "With --target: also measure batch-1 latency (median, p10, p90).")
    boolean bench;

    @Option(
            names = "--bench-seconds",
            defaultValue = "1.0",
            paramLabel = "S",
            description = "With --bench: time the model for at least S seconds (default: ${DEFAULT-VALUE}).")
    double benchSeconds;

    @Option(names = "--layer-times", description = "With --bench: also report per-layer times.")
    boolean layerTimes;

    @Option(
            names = "--metric",
            paramLabel = "SPEC",
            description =
                    "Also measure this metric, in an experiment file's "
                            + "syntax: top1, agreement (with the fp32 model), '{top_k: K}', or '{command: [PROGRAM, ARG...], timeout_s: S, "
                            + "name: N}' (a program that reads outputs.npy and labels.npy and prints one number; docs/config.md#metrics).")
    String metricSpec;

    /** The parsed --metric, or null. */
    private EvalMetric metric;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        int workers = checkOptions();
        NativeEval nativeEval = target == null
                ? null
                : NativeEval.of(
                        spec.commandLine(),
                        target,
                        threads.given() != null ? threads.given() : 1,
                        bench,
                        benchSeconds,
                        layerTimes);
        Dataset dataset = Datasets.load(data, split);
        metric = metricSpec == null
                ? null
                : EvalMetric.parse(spec.commandLine(), metricSpec, model, dataset, limit, workers);
        PrintWriter out = spec.commandLine().getOut();
        if (ModelLoader.isPreQuantized(model)) {
            if (qconfig != null) {
                throw new ParameterException(
                        spec.commandLine(),
                        model + " is a pre-quantized (QDQ) "
                                + "model, which runs with the file's own scales: --qconfig does not apply to it");
            }
            return plain(ModelLoader.preQuantized(model).realized(), true, dataset, workers, nativeEval, out);
        }
        Graph graph = ModelLoader.forExecution(model);
        return qconfig != null
                ? quantized(graph, dataset, workers, nativeEval, out)
                : plain(graph, false, dataset, workers, nativeEval, out);
    }

    /** Checks --limit, --threads and what needs --target; the worker threads. */
    private int checkOptions() {
        if (limit < 0) {
            throw new ParameterException(spec.commandLine(), "--limit must be >= 0, but was " + limit);
        }
        int workers = threads.checked(spec.commandLine());
        if (target == null && (bench || layerTimes)) {
            throw new ParameterException(spec.commandLine(), "--bench and --layer-times need --target");
        }
        return workers;
    }

    /** What the quantized path measured besides the result: the native run or the integer outputs. */
    private static final class Runs {
        NativeRun nativeRun;
        EvalMetric.Outputs integerRun;
        Graph realized;

        float[] outputs() {
            return nativeRun != null ? nativeRun.outputs() : integerRun.values();
        }
    }

    /** The --qconfig path: quantize, calibrating on the calibration split, and measure the integer model. */
    private int quantized(Graph graph, Dataset dataset, int workers, NativeEval nativeEval, PrintWriter out) {
        Runs runs = new Runs();
        QuantConfigFile file = QuantConfigReader.readFile(qconfig);
        if (nativeEval != null) {
            ConfigSchedule.forTarget(file, qconfig, nativeEval.target()); // before calibrating
        }
        QuantEvalResult r = QuantizedEval.run(
                model,
                graph,
                file.config(),
                data,
                dataset,
                limit,
                workers,
                compareSimulated,
                spec.commandLine().getErr(),
                nativeEval == null && metric == null
                        ? null
                        : realized -> measure(realized, runs, nativeEval, file, dataset));
        ObjectNode o = QuantizedEval.toJson(model, qconfig, dataset, workers, r);
        String text = QuantizedEval.summary(model, dataset, workers, r);
        if (metric != null) {
            double value = metric.score(runs.outputs(), runs.realized, graph);
            double fp32 = metric.score(metric.fp32Outputs(graph), graph, graph);
            metric.addJson(o, value, fp32);
            int firstLine = text.indexOf(System.lineSeparator());
            text = firstLine < 0
                    ? text + metric.text(value, fp32)
                    : text.substring(0, firstLine) + metric.text(value, fp32) + text.substring(firstLine);
        }
        if (runs.nativeRun != null) {
            NativeEval.addJson(o, runs.nativeRun);
            text = text.stripTrailing() + System.lineSeparator() + "  " + NativeEval.summary(runs.nativeRun);
        }
        out.println(json ? Json.write(o) : text);
        return 0;
    }

    /** The realized graph's accuracy natively, or on the integer interpreter keeping its outputs for --metric. */
    private AccuracyResult measure(
            Graph realized, Runs runs, NativeEval nativeEval, QuantConfigFile file, Dataset dataset) {
        runs.realized = realized;
        if (nativeEval == null) {
            runs.integerRun = metric.integer(realized);
            return runs.integerRun.accuracy();
        }
        runs.nativeRun = nativeEval.run(realized, file, qconfig, dataset, limit);
        return runs.nativeRun.accuracy();
    }

    /** One measurement of a graph as it is: top-1, the --metric's value (NaN without one), the native run. */
    private record Measured(AccuracyResult accuracy, double value, NativeRun nativeRun) {}

    /**
     * Top-1 of a graph as it is: an fp32 model on the fp32 interpreter, or the integer graph of a
     * pre-quantized model ({@code integer}) on the integer interpreter; natively with --target.
     */
    private int plain(
            Graph graph, boolean integer, Dataset dataset, int workers, NativeEval nativeEval, PrintWriter out) {
        Measured m = measure(graph, integer, dataset, workers, nativeEval);
        if (json) {
            out.println(Json.write(json(m, integer, dataset, workers)));
        } else {
            AccuracyResult r = m.accuracy();
            out.printf(
                    "%s on %s/%s: top-1 %.2f%% (%d/%d)%s, %s, %d threads, %.1f s%n",
                    model,
                    dataset.name(),
                    dataset.split(),
                    100 * r.top1(),
                    r.correct(),
                    r.samples(),
                    metric == null ? "" : metric.text(m.value(), Double.NaN),
                    m.nativeRun() != null
                            ? NativeEval.summary(m.nativeRun())
                            : integer ? "pre-quantized model, integer interpreter" : "fp32 interpreter",
                    workers,
                    r.seconds());
        }
        return 0;
    }

    private Measured measure(Graph graph, boolean integer, Dataset dataset, int workers, NativeEval nativeEval) {
        Graph fp32 = integer ? null : graph;
        if (nativeEval != null) {
            NativeRun run = nativeEval.run(graph, dataset, limit);
            double value = metric == null ? Double.NaN : metric.score(run.outputs(), graph, fp32);
            return new Measured(run.accuracy(), value, run);
        }
        if (metric != null && integer) {
            EvalMetric.Outputs o = metric.integer(graph);
            return new Measured(o.accuracy(), metric.score(o.values(), graph, null), null);
        }
        if (metric != null) {
            long start = System.nanoTime();
            float[] logits = metric.fp32Outputs(graph);
            AccuracyResult a = ReferenceLogits.accuracy(logits, dataset, metric.samples());
            AccuracyResult r =
                    new AccuracyResult(a.samples(), a.correct(), (System.nanoTime() - start) / 1e9, a.predictions());
            return new Measured(r, metric.score(logits, graph, graph), null);
        }
        try (ConsoleProgress progress = new ConsoleProgress((integer ? "eval int " : "eval ") + model.getFileName())) {
            AccuracyResult r = AccuracyEvaluator.evaluate(
                    integer ? new IntegerInterpreter(graph) : new Fp32Interpreter(graph),
                    dataset,
                    limit,
                    workers,
                    progress);
            return new Measured(r, Double.NaN, null);
        }
    }

    private ObjectNode json(Measured m, boolean integer, Dataset dataset, int workers) {
        AccuracyResult r = m.accuracy();
        ObjectNode o = Json.object();
        o.put("model", model.toString());
        o.put("precision", integer ? "int" : "fp32");
        if (integer) {
            o.put("pre_quantized", true);
        }
        o.put("dataset", dataset.name());
        o.put("split", dataset.split());
        o.put("top1", r.top1());
        o.put("correct", r.correct());
        o.put("samples", r.samples());
        o.put("seconds", Json.seconds(r.seconds()));
        o.put("threads", workers);
        if (m.nativeRun() != null) {
            NativeEval.addJson(o, m.nativeRun());
        }
        if (metric != null) {
            metric.addJson(o, m.value(), Double.NaN);
        }
        return o;
    }
}

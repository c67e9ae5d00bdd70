package dev.qtune.experiments.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.evaluator.accuracy.AccuracyEvaluator;
import dev.qtune.evaluator.accuracy.AccuracyResult;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.evaluator.quant.QuantEvalResult;
import dev.qtune.compiler.quant.QuantConfigReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `qtune eval MODEL --data NAME [--qconfig FILE] [--split S] [--limit N] [--threads T] [--json]`:
 * top-1 of the fp32 interpreter, or with --qconfig of the integer interpreter on the quantized model.
 */
@Command(name = "eval", description = "Measure a model's top-1 accuracy on a dataset split: fp32, or quantized with --qconfig.")
final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "ONNX model file.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "NAME|SPEC.yaml",
            description = "Built-in dataset (mnist, fashion-mnist) or a dataset spec file.")
    String data;

    @Option(names = "--split", defaultValue = "test", description = "Dataset split (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "Evaluate only the first N samples (default: all).")
    int limit;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--qconfig", paramLabel = "FILE",
            description = "Quantization config (YAML): quantize, calibrating on the dataset's calibration split, and run the integer interpreter.")
    Path qconfig;

    @Option(names = "--compare-simulated",
            description = "With --qconfig: also run the simulated (fake-quantized fp32) model and report its agreement with the integer one.")
    boolean compareSimulated;

    @Option(names = "--json", description = "Print JSON (keys: model, precision, top1, samples, seconds, ...).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (limit < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be >= 0, but was " + limit);
        }
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (workers < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threads must be >= 1, but was " + workers);
        }
        Dataset dataset = Datasets.load(data, split);
        Graph graph = ModelLoader.forExecution(model);
        PrintWriter out = spec.commandLine().getOut();
        if (qconfig != null) {
            QuantEvalResult r = QuantizedEval.run(model, graph, QuantConfigReader.read(qconfig), data, dataset, limit,
                    workers, compareSimulated, spec.commandLine().getErr());
            out.println(json ? Json.write(QuantizedEval.toJson(model, qconfig, dataset, workers, r))
                    : QuantizedEval.summary(model, dataset, workers, r));
            return 0;
        }
        AccuracyResult r;
        try (ConsoleProgress progress = new ConsoleProgress("eval " + model.getFileName())) {
            r = AccuracyEvaluator.evaluate(new Fp32Interpreter(graph), dataset, limit, workers, progress);
        }
        if (json) {
            ObjectNode o = Json.object();
            o.put("model", model.toString());
            o.put("precision", "fp32");
            o.put("dataset", dataset.name());
            o.put("split", dataset.split());
            o.put("top1", r.top1());
            o.put("correct", r.correct());
            o.put("samples", r.samples());
            o.put("seconds", Json.seconds(r.seconds()));
            o.put("threads", workers);
            out.println(Json.write(o));
        } else {
            out.printf("%s on %s/%s: top-1 %.2f%% (%d/%d), fp32 interpreter, %d threads, %.1f s%n", model,
                    dataset.name(), dataset.split(), 100 * r.top1(), r.correct(), r.samples(), workers, r.seconds());
        }
        return 0;
    }
}

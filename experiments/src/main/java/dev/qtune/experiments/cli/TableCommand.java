package dev.qtune.experiments.cli;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.quant.QuantConfigException;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.evaluator.accuracy.ProgressListener;
import dev.qtune.evaluator.calibration.CalibrationCache;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.evaluator.quant.QuantEvalResult;
import dev.qtune.evaluator.quant.QuantEvaluation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `qtune table MODEL=DATASET... --qconfig FILE...`: every model under every config, as a markdown
 * table of fp32 top-1, integer top-1, agreement, simulated agreement and size (docs/results.md).
 */
@Command(name = "table", description = "Evaluate models x quant configs and print a markdown table.")
final class TableCommand implements Callable<Integer> {
    @Parameters(
            arity = "1..*",
            paramLabel = "MODEL=DATASET",
            description = "Model file and its dataset, e.g. models/lenet5_mnist.onnx=mnist.")
    List<String> models;

    @Option(
            names = "--qconfig",
            required = true,
            arity = "1..*",
            paramLabel = "FILE",
            description = "Quant config files.")
    List<Path> qconfigs;

    @Option(
            names = "--limit",
            defaultValue = "0",
            paramLabel = "N",
            description = "First N test samples (default: all).")
    int limit;

    @Mixin
    WorkerThreads.Any threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        int workers = threads.count();
        PrintWriter out = spec.commandLine().getOut();
        out.println(
                "| model | config | fp32 top-1 | int top-1 | change | agreement | simulated agreement | size (bytes) | fp32 size |");
        out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (String m : models) {
            int eq = m.lastIndexOf('=');
            if (eq <= 0) {
                throw new ParameterException(
                        spec.commandLine(), "model must be given as MODEL=DATASET, but was '" + m + "'");
            }
            Path model = Path.of(m.substring(0, eq));
            String data = m.substring(eq + 1);
            rows(out, model, data, workers);
        }
        return 0;
    }

    /** One row per quant config for a model and its dataset. */
    private void rows(PrintWriter out, Path model, String data, int workers) {
        Graph graph = ModelLoader.forExecution(model);
        Dataset test = Datasets.load(data, "test");
        Dataset calibration = Datasets.load(data, "calibration");
        long fp32Bytes = 4L
                * graph.initializers().values().stream()
                        .mapToLong(t -> t.numel())
                        .sum();
        for (Path q : qconfigs) {
            QuantEvalResult r;
            try {
                r = QuantEvaluation.run(
                        model,
                        graph,
                        QuantConfigReader.read(q),
                        calibration,
                        test,
                        limit,
                        workers,
                        CalibrationCache.defaultDir(),
                        true,
                        QuantEvaluation.interpreter(test, limit, workers, ProgressListener.NONE));
            } catch (QuantConfigException e) {
                // A config written for other models (a layer pattern that matches nothing here): say so, go on.
                String why = e.getMessage().replaceFirst("; layers are: .*", "").replace(q.toString() + ": ", "");
                out.printf(
                        "| %s | %s | n/a: %s | | | | | | |%n",
                        model.getFileName(), q.getFileName(), why.replace("|", "/"));
                continue;
            }
            printRow(out, model, q, r, fp32Bytes);
            out.flush();
        }
    }

    private static void printRow(PrintWriter out, Path model, Path q, QuantEvalResult r, long fp32Bytes) {
        out.printf(
                "| %s | %s | %.2f%% | %.2f%% | %+.2f | %.2f%% | %.2f%% | %,d | %,d |%n",
                model.getFileName(),
                q.getFileName(),
                100 * r.fp32().top1(),
                100 * r.integer().top1(),
                100 * (r.integer().top1() - r.fp32().top1()),
                100 * r.agreement(),
                100 * r.simulatedAgreement(),
                r.sizeBytes(),
                fp32Bytes);
    }
}

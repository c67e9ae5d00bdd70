package dev.qtune.experiments.cli;

import dev.qtune.evaluator.metric.MetricSpec;
import dev.qtune.experiments.config.ExperimentConfig;
import dev.qtune.experiments.config.ExperimentReader;
import dev.qtune.experiments.report.LiveReport;
import dev.qtune.experiments.report.ReportWriter;
import dev.qtune.experiments.run.SearchListeners;
import dev.qtune.experiments.run.SearchRunner;
import dev.qtune.experiments.run.TrialWorkspace;
import dev.qtune.experiments.spark.SparkTrialExecutor;
import dev.qtune.search.exec.LocalTrialExecutor;
import dev.qtune.search.exec.TrialExecutor;
import dev.qtune.search.trial.TrialResult;
import dev.qtune.targets.Target;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `qtune search EXPERIMENT.yaml [--out DIR] [--resume] [--master URL]`: run a search, write its run directory and report. */
@Command(
        name = "search",
        description = "Search per-layer quantization and schedules for an experiment file; "
                + "writes trials.jsonl, pareto.json, progress.csv, best/*.yaml and report.html.")
final class SearchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "Experiment file (YAML, see docs/config.md).")
    Path experiment;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: the experiment's output).")
    Path out;

    @Option(names = "--resume", description = "Continue the search in the run directory from its trials.jsonl.")
    boolean resume;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description = "Run the trials on this Spark master (local[N], "
                    + "spark://HOST:PORT, ...) whatever the experiment's executor says; default: the experiment's executor "
                    + "(Spark local[*] when it names none), or spark-submit's master.")
    String master;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ExperimentConfig exp = read(experiment, out);
        Target target = HostTarget.resolve(spec.commandLine(), exp.target());
        PrintWriter err = spec.commandLine().getErr();
        announce(err, exp, target);
        SearchRunner runner = new SearchRunner(exp, target);
        LiveReport live = new LiveReport(exp.output());
        SearchRunner.Result r;
        try {
            r = runner.run(
                    resume,
                    executor(exp, master, err),
                    SearchListeners.both(new SearchConsole(err, exp.budget().trials(), exp.metric()), live));
        } catch (RuntimeException | Error e) {
            live.stopped();
            throw e;
        }
        Path report = ReportWriter.write(r.dir());
        print(spec.commandLine().getOut(), r, report, exp.metric());
        return 0;
    }

    /** The experiment file, with its output replaced by {@code out} where given. */
    static ExperimentConfig read(Path experiment, Path out) {
        ExperimentConfig exp = ExperimentReader.read(experiment);
        return out != null ? exp.withOutput(out) : exp;
    }

    private void announce(PrintWriter err, ExperimentConfig exp, Target target) {
        err.printf(
                "qtune: search %s: %s on %s, target %s, strategy %s (seed %d), %d trials%s -> %s%n",
                exp.name(),
                exp.model(),
                exp.dataset(),
                target.name(),
                exp.strategy().name(),
                exp.seed(),
                exp.budget().trials(),
                resume ? ", resuming" : "",
                exp.output());
        err.flush();
    }

    /**
     * The executor: Spark when the experiment says so (the default) or --master is given, on
     * --master, else spark-submit's master, else the experiment's; threads of this JVM for type local.
     */
    static Function<TrialWorkspace, TrialExecutor> executor(ExperimentConfig exp, String master, PrintWriter err) {
        ExperimentConfig.Executor e = exp.executor();
        boolean spark = e.spark() || master != null;
        return ws -> {
            TrialExecutor x = spark
                    ? SparkTrialExecutor.start(master, e.sparkMaster(), "qtune search " + exp.name(), ws)
                    : new LocalTrialExecutor(ws.evaluator(), e.threads());
            err.println("qtune: trials on " + x.describe());
            err.flush();
            return x;
        };
    }

    private static void print(PrintWriter out, SearchRunner.Result r, Path report, MetricSpec metric) {
        String name = metric.title();
        out.printf(
                Locale.ROOT,
                "search finished: %s; %d trials, %d failed; fp32 %s %s on the validation samples%n",
                r.outcome().stopReason(),
                r.outcome().trials().size(),
                r.outcome().last().failures(),
                name,
                metric.format(r.fp32Accuracy()));
        out.printf(
                Locale.ROOT, "Pareto front (%d):%n", r.outcome().last().front().size());
        out.printf("  %-6s %8s %12s %10s%n", "trial", name, "latency ms", "size KB");
        for (TrialResult t : r.outcome().last().front()) {
            var m = t.metrics().orElseThrow();
            out.printf(
                    Locale.ROOT,
                    "  %-6s %8s %12.3f %10.1f%n",
                    t.spec().id(),
                    metric.format(m.accuracy()),
                    m.latencyMedianMs(),
                    m.sizeBytes() / 1024.0);
        }
        printBaselinesAndFinals(out, r, metric);
        out.printf("run directory: %s%nreport: %s%n", r.dir(), report);
        out.flush();
    }

    private static void printBaselinesAndFinals(PrintWriter out, SearchRunner.Result r, MetricSpec metric) {
        String name = metric.title();
        for (var b : r.baselines()) {
            out.printf(
                    Locale.ROOT,
                    "  baseline %s (%s): %s%n",
                    b.path("label").asText(),
                    b.path("id").asText(),
                    b.has("accuracy")
                            ? String.format(
                                    Locale.ROOT,
                                    "%s %s, median %.3f ms",
                                    name,
                                    metric.format(b.path("accuracy").asDouble()),
                                    b.path("latency_ms").asDouble())
                            : "FAILED: " + b.path("reason").asText());
        }
        for (TrialResult f : r.finals()) {
            out.printf(
                    Locale.ROOT,
                    "  final %s: %s%n",
                    f.spec().label(),
                    f.metrics()
                            .map(m -> String.format(
                                    Locale.ROOT,
                                    "%s %s on %d test images, median %.3f ms (p10 %.3f, p90 %.3f)",
                                    name,
                                    metric.format(m.accuracy()),
                                    m.samples(),
                                    m.latencyMedianMs(),
                                    m.latencyP10Ms(),
                                    m.latencyP90Ms()))
                            .orElse("FAILED: " + f.reason()));
        }
    }
}

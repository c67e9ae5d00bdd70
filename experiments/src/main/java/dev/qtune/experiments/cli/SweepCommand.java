package dev.qtune.experiments.cli;

import dev.qtune.experiments.config.ExperimentConfig;
import dev.qtune.experiments.config.ExperimentReader;
import dev.qtune.experiments.config.SweepReader;
import dev.qtune.experiments.report.LiveReport;
import dev.qtune.experiments.report.ReportWriter;
import dev.qtune.experiments.report.SweepReport;
import dev.qtune.experiments.run.RunComparison;
import dev.qtune.experiments.run.SearchListeners;
import dev.qtune.experiments.run.SearchRunner;
import dev.qtune.experiments.run.SweepRunner;
import dev.qtune.experiments.run.TrialWorkspace;
import dev.qtune.experiments.spark.SparkTrialExecutor;
import dev.qtune.search.exec.LocalTrialExecutor;
import dev.qtune.search.exec.TrialExecutor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `qtune sweep FILE [--out DIR] [--master URL] [--parallel N] [--resume]`: every combination of an
 * experiment file's sweep, concurrently on one Spark context, then the comparison report.
 */
@Command(
        name = "sweep",
        description = "Run a research sweep (an experiment file with a sweep: matrix over strategy, "
                + "seed, target and space options): every combination as a search, concurrently on Spark; then sweep.html "
                + "(hypervolume against trials per group, fronts overlaid) and the comparison table.")
final class SweepCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "FILE",
            description = "Experiment file with a sweep: key (docs/config.md#sweeps).")
    Path file;

    @Option(names = "--out", paramLabel = "DIR", description = "Sweep directory (default: the file's output).")
    Path out;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description = "Spark master for all runs (default: the file's " + "executor, or spark-submit's master).")
    String master;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            description =
                    "Searches at once (default: all of them on Spark, " + "one at a time with executor type local).")
    Integer parallel;

    @Option(names = "--resume", description = "Continue each run from its trials.jsonl.")
    boolean resume;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SweepReader.Sweep sweep = SweepReader.read(file);
        Path dir = out != null ? out : sweep.output();
        PrintWriter err = spec.commandLine().getErr();
        ExperimentConfig.Executor executor =
                ExperimentReader.parse(sweep.runs().get(0).yaml(), file).executor();
        boolean onSpark = master != null || executor.spark();
        int atOnce = parallel != null ? parallel : onSpark ? sweep.runs().size() : 1;
        err.printf(
                "qtune: sweep %s: %d runs (%s), %d at once, on %s -> %s%n",
                sweep.name(),
                sweep.runs().size(),
                String.join(" x ", sweep.keys()),
                atOnce,
                onSpark ? "Spark" : "local threads",
                dir);
        err.flush();
        JavaSparkContext spark = onSpark
                ? SparkTrialExecutor.context(master, executor.sparkMaster(), "qtune sweep " + sweep.name())
                : null;
        List<SweepRunner.Outcome> outcomes;
        try {
            outcomes = SweepRunner.run(sweep, dir, atOnce, (run, exp) -> search(run, exp, spark, err));
        } finally {
            if (spark != null) {
                spark.stop();
            }
        }
        return report(sweep, dir, outcomes, err) ? 0 : 1;
    }

    /** Prints the comparison of the runs that finished and names those that failed: whether all finished. */
    private boolean report(SweepReader.Sweep sweep, Path dir, List<SweepRunner.Outcome> outcomes, PrintWriter err) {
        List<SweepRunner.Outcome> done =
                outcomes.stream().filter(SweepRunner.Outcome::ok).toList();
        PrintWriter stdout = spec.commandLine().getOut();
        if (!done.isEmpty()) {
            printComparison(sweep, dir, done, stdout);
        }
        for (SweepRunner.Outcome o : outcomes) {
            if (!o.ok()) {
                err.printf("qtune: sweep run %s FAILED: %s%n", o.run().name(), o.error());
            }
        }
        stdout.flush();
        err.flush();
        return done.size() == outcomes.size();
    }

    /** One run of the sweep: its search, on Spark or local threads, with its live and final report. */
    private SearchRunner.Result search(
            SweepReader.Run run, ExperimentConfig exp, JavaSparkContext spark, PrintWriter err) {
        Function<TrialWorkspace, TrialExecutor> executorOf = spark != null
                ? ws -> SparkTrialExecutor.shared(spark, run.name(), ws)
                : ws -> new LocalTrialExecutor(ws.evaluator(), exp.executor().threads());
        LiveReport live = new LiveReport(exp.output());
        SearchRunner.Result r;
        try {
            r = new SearchRunner(exp, HostTarget.resolve(spec.commandLine(), exp.target()))
                    .run(
                            resume,
                            executorOf,
                            SearchListeners.both(
                                    new SearchConsole(err, exp.budget().trials(), "[" + run.name() + "] "), live));
        } catch (RuntimeException | Error e) {
            live.stopped();
            throw e;
        }
        ReportWriter.write(r.dir());
        return r;
    }

    /** Writes the sweep report and prints the runs' comparison at the report's checkpoints, by group. */
    private static void printComparison(
            SweepReader.Sweep sweep, Path dir, List<SweepRunner.Outcome> done, PrintWriter stdout) {
        List<RunComparison.Row> everyTrial = RunComparison.compareEveryTrial(
                done.stream().map(SweepRunner.Outcome::dir).toList());
        Path report = SweepReport.write(
                dir,
                sweep.name(),
                done.stream()
                        .map(o -> new SweepReport.Entry(
                                o.run().name(), o.run().group(), o.run().seed().orElse(0), o.dir()))
                        .toList(),
                everyTrial);
        Map<Path, String> groups = new HashMap<>();
        done.forEach(o -> groups.put(o.dir(), o.run().group()));
        List<Integer> at =
                SweepReport.checkpoints(everyTrial.get(0).hypervolume().size());
        stdout.print(RunComparison.markdown(
                everyTrial.stream().map(r -> r.at(at)).toList(), "group", r -> groups.get(r.dir())));
        stdout.printf("sweep report: %s%n", report);
    }
}

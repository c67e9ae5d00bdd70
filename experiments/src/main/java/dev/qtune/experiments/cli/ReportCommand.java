package dev.qtune.experiments.cli;

import dev.qtune.experiments.report.ReportWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `qtune report RUN_DIR`: (re)writes RUN_DIR/report.html from the run's trials.jsonl, pareto.json and
 * progress.csv, and prints the report's path. Works on a running or killed search too: a torn last
 * line of trials.jsonl is skipped (a warning on stderr and a note in the report say so).
 */
@Command(
        name = "report",
        description = "Write RUN_DIR/report.html (Pareto plot, front, timings, failures) and print its path.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory written by 'qtune search'.")
    Path runDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path report = ReportWriter.write(runDir);
        spec.commandLine().getOut().println(report.toAbsolutePath().normalize());
        return 0;
    }
}

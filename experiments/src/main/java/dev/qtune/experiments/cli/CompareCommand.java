package dev.qtune.experiments.cli;

import dev.qtune.experiments.run.RunComparison;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `qtune compare RUN_DIR... [--at 25,50,100 | --final]`: hypervolumes of runs of one experiment against one
 * reference point, of their search trials after n trials, or of their final re-measures.
 */
@Command(
        name = "compare",
        description = "Compare search runs of one experiment: hypervolume against trials, "
                + "per run and as the mean per strategy, with one common reference point.")
final class CompareCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories of `qtune search`.")
    List<Path> runs;

    @Option(
            names = "--at",
            split = ",",
            paramLabel = "N",
            description = "Trial counts to report the hypervolume at (default: the smallest run's size).")
    List<Integer> at;

    @Option(
            names = "--final",
            description = "Compare the runs' final re-measures (front and base config on the final "
                    + "split, timed side by side) instead of their search trials.")
    boolean finalRemeasure;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<RunComparison.Row> rows = finalRemeasure
                ? RunComparison.compareFinal(runs)
                : RunComparison.compare(runs, at == null ? List.of() : at);
        PrintWriter out = spec.commandLine().getOut();
        out.print(RunComparison.markdown(rows, "strategy", RunComparison.Row::strategy));
        out.flush();
        return 0;
    }
}

package dev.qtune.experiments.cli;

import dev.qtune.experiments.run.RunComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** `qtune compare RUN_DIR... [--at 25,50,100]`: hypervolumes of runs of one experiment against one reference point. */
@Command(name = "compare", description = "Compare search runs of one experiment: hypervolume against trials, "
        + "per run and as the mean per strategy, with one common reference point.")
final class CompareCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories of `qtune search`.")
    List<Path> runs;

    @Option(names = "--at", split = ",", paramLabel = "N", description = "Trial counts to report the hypervolume at (default: the smallest run's size).")
    List<Integer> at;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<RunComparison.Row> rows = RunComparison.compare(runs, at == null ? List.of() : at);
        List<Integer> checkpoints = List.copyOf(rows.get(0).hypervolume().keySet());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("| run | strategy | seed | trials |%s%n", header(checkpoints));
        out.printf("|---|---|---|---|%s%n", "---|".repeat(checkpoints.size()));
        Map<String, List<RunComparison.Row>> byStrategy = new LinkedHashMap<>();
        for (RunComparison.Row r : rows) {
            out.printf(Locale.ROOT, "| %s | %s | %d | %d |%s%n", r.dir().getFileName(), r.strategy(), r.seed(), r.trials(),
                    values(r.hypervolume(), checkpoints));
            byStrategy.computeIfAbsent(r.strategy(), k -> new ArrayList<>()).add(r);
        }
        out.printf("%nMean hypervolume per strategy:%n| strategy | runs |%s%n|---|---|%s%n", header(checkpoints),
                "---|".repeat(checkpoints.size()));
        for (var e : byStrategy.entrySet()) {
            Map<Integer, Double> mean = new LinkedHashMap<>();
            for (int n : checkpoints) {
                mean.put(n, e.getValue().stream().mapToDouble(r -> r.hypervolume().get(n)).average().orElse(0));
            }
            out.printf(Locale.ROOT, "| %s | %d |%s%n", e.getKey(), e.getValue().size(), values(mean, checkpoints));
        }
        out.flush();
        return 0;
    }

    private static String header(List<Integer> checkpoints) {
        StringBuilder s = new StringBuilder();
        checkpoints.forEach(n -> s.append(" HV@").append(n).append(" |"));
        return s.toString();
    }

    private static String values(Map<Integer, Double> hv, List<Integer> checkpoints) {
        StringBuilder s = new StringBuilder();
        checkpoints.forEach(n -> s.append(String.format(Locale.ROOT, " %.5f |", hv.get(n))));
        return s.toString();
    }
}

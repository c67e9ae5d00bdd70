package dev.qtune.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hypervolumes of two fabricated runs against their common reference point, computed by hand. */
class RunComparisonTest {
    @TempDir
    Path tmp;

    @Test
    void runsShareOneReferencePointAndCheckpointsCountTrialsInOrder() throws IOException {
        // constraint 0.8 -> error reference 0.2; slowest trial of all runs 10 ms -> latency reference 11
        Path a = run("a", "nsga2", new double[][] {{0.9, 5}, {0.95, 10}, {0.7, 1}});
        Path b = run("b", "random", new double[][] {{0.85, 2}});
        List<RunComparison.Row> rows = RunComparison.compare(List.of(a, b), List.of(1, 2));
        // run a after 1 trial: error 0.1 at 5 ms -> (0.2 - 0.1) x (11 - 5) = 0.6
        assertEquals(0.6, rows.get(0).hypervolume().get(1), 1e-9);
        // after 2: adds (0.05, 10): 0.6 + (0.1 - 0.05) x (11 - 10) = 0.65; the third trial is infeasible
        assertEquals(0.65, rows.get(0).hypervolume().get(2), 1e-9);
        assertEquals(0.05 * 9, rows.get(1).hypervolume().get(1), 1e-9);
        assertEquals("nsga2", rows.get(0).strategy());
        assertEquals(
                List.of(1),
                List.copyOf(RunComparison.compare(List.of(a, b), List.of())
                        .get(0)
                        .hypervolume()
                        .keySet()),
                "no checkpoints: the smallest run's size");
    }

    @Test
    void finalLatenciesAreRelativeToTheRunsOwnBaseConfig() throws IOException {
        // run a: the base (first record, genome of first values) at 4 ms, a front member as accurate
        // and as fast; run b, timed on a slower stretch: base 5 ms, its front member 19% faster
        Path a = run("a", "nsga2", new double[][] {{0.9, 4}, {0.95, 4}}, "final");
        Path b = run("b", "random", new double[][] {{0.9, 5}, {0.95, 4.04}}, "final");
        List<RunComparison.Row> rows = RunComparison.compareFinal(List.of(a, b));
        // latency reference 2 (x base): a: (0.2 - 0.05) x (2 - 1) = 0.15; b: 0.15 x (2 - 4.04 / 5)
        assertEquals(0.15, rows.get(0).hypervolume().get(RunComparison.FINAL), 1e-9);
        assertEquals(0.15 * (2 - 0.808), rows.get(1).hypervolume().get(RunComparison.FINAL), 1e-9);
    }

    @Test
    void searchLatenciesAreMeasuredAgainstTwiceTheSlowestBaseRecord() throws IOException {
        Path a = run("a", "nsga2", new double[][] {{0.9, 4}, {0.95, 3}}, "search");
        Path b = run("b", "random", new double[][] {{0.9, 5}}, "search");
        List<RunComparison.Row> rows = RunComparison.compare(List.of(a, b), List.of(2));
        // reference (0.2, 10): a's front is (0.05, 3) -> 0.15 x 7
        assertEquals(0.15 * 7, rows.get(0).hypervolume().get(2), 1e-9);
    }

    /** A run whose records have no genome (no base config known). */
    private Path run(String name, String strategy, double[][] trials) throws IOException {
        return run(name, strategy, trials, "search", false);
    }

    /** A run whose first record is the base config (genome [0, 0]) and the others not. */
    private Path run(String name, String strategy, double[][] trials, String kind) throws IOException {
        return run(name, strategy, trials, kind, true);
    }

    private Path run(String name, String strategy, double[][] trials, String kind, boolean genomes) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(
                dir.resolve(RunDirectory.PARETO),
                "{\"strategy\": \"" + strategy + "\", \"seed\": 1, \"constraint\": {\"min_top1\": 0.8}}");
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < trials.length; i++) {
            log.append(String.format(
                    Locale.ROOT,
                    "{\"trial\": %d, \"kind\": \"%s\", \"of\": \"t%04d\", \"status\": \"OK\", \"genome\": %s, "
                            + "\"metrics\": {\"top1\": %s, \"latency_ms\": {\"median\": %s}}}%n",
                    i,
                    kind,
                    i,
                    !genomes ? "[]" : i == 0 ? "[0, 0]" : "[0, 1]",
                    trials[i][0],
                    trials[i][1]));
        }
        Files.writeString(dir.resolve(RunDirectory.TRIALS), log);
        return dir;
    }
}

package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.experiments.config.ExperimentReader;
import dev.qtune.experiments.run.TrialWorkspace;
import dev.qtune.experiments.testing.TinyExperiment;
import dev.qtune.search.space.Decoded;
import dev.qtune.search.space.Genome;
import dev.qtune.search.trial.TrialKind;
import dev.qtune.search.trial.TrialMetrics;
import dev.qtune.search.trial.TrialResult;
import dev.qtune.search.trial.TrialSpec;
import dev.qtune.targets.Targets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trials whose modules run the same code (one speed key) are timed three times; later ones take
 * the median of those timings instead of a noisy fourth, and a final re-measure always times.
 */
class LatencyReuseTest {
    @TempDir
    Path tmp;

    @Test
    void aSpeedKeyIsTimedThreeTimesThenItsMedianIsReused() throws Exception {
        Path file = TinyExperiment.write(tmp, "latency-reuse", 2, 2, 1, 5);
        TrialWorkspace ws = TrialWorkspace.open(ExperimentReader.read(file), Targets.byName(Targets.GENERIC_C));
        List<Integer> zeros = new ArrayList<>();
        ws.space().genes().forEach(g -> zeros.add(0));
        Decoded base = ws.decoder().decode(new Genome(zeros));
        double[] first = new double[3];
        for (int i = 0; i < 3; i++) {
            first[i] = latency(ws.evaluator().evaluate(spec(i, base, TrialKind.SEARCH)));
        }
        double fourth = latency(ws.evaluator().evaluate(spec(3, base, TrialKind.SEARCH)));
        double[] sorted = first.clone();
        Arrays.sort(sorted);
        assertEquals(sorted[1], fourth, "the median of the three timings: " + Arrays.toString(first));
        TrialResult fin = ws.evaluator().evaluate(spec(4, base, TrialKind.FINAL));
        assertTrue(fin.ok(), fin.reason());
        assertTrue(fin.times().latency() > 0.05, "a final re-measure times: " + fin.times());
    }

    private static double latency(TrialResult r) {
        assertTrue(r.ok(), r.reason());
        TrialMetrics m = r.metrics().orElseThrow();
        return m.latencyMedianMs();
    }

    private static TrialSpec spec(int n, Decoded d, TrialKind kind) {
        return new TrialSpec(n, 0, kind, String.format("t%04d", n), d, 50, 0.1);
    }
}

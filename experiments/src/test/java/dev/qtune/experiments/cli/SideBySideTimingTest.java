package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.experiments.config.ExperimentReader;
import dev.qtune.experiments.run.TrialWorkspace;
import dev.qtune.experiments.testing.TinyExperiment;
import dev.qtune.search.space.Decoded;
import dev.qtune.search.space.Gene;
import dev.qtune.search.space.Genome;
import dev.qtune.search.trial.TrialKind;
import dev.qtune.search.trial.TrialSpec;
import dev.qtune.targets.Targets;
import dev.qtune.targets.runner.BenchResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The final re-measure's side-by-side timing: trials rebuilt from their specs and baselines
 * imported again are timed in rounds on this host; each gets the medians over the rounds, and one
 * that cannot be built is left out (its record keeps its own figures).
 */
class SideBySideTimingTest {
    @TempDir
    Path tmp;

    @Test
    void trialsAndBaselinesAreTimedInRoundsAndABrokenOneIsLeftOut() throws Exception {
        Path qdq = tmp.resolve("mlp_int8_max.onnx");
        CliRun export = CliRun.of(
                "export",
                "../models/mlp_mnist.onnx",
                "--data",
                "mnist",
                "--qconfig",
                "qconfigs/int8_max.yaml",
                "--out",
                qdq.toString());
        assertEquals(0, export.status(), export.err());
        Path file = TinyExperiment.write(tmp, "side-by-side", 2, 2, 1, 3);
        TrialWorkspace ws = TrialWorkspace.open(ExperimentReader.read(file), Targets.byName(Targets.GENERIC_C));
        Map<String, TrialSpec> trials = new LinkedHashMap<>();
        for (int i = 0; i < 2; i++) {
            Decoded d = ws.decoder().decode(genome(ws, i));
            trials.put(
                    String.format("t%04d", i),
                    new TrialSpec(i, 0, TrialKind.FINAL, String.format("t%04d", i), d, 100, 0.2));
        }
        Map<String, Path> baselines = Map.of("b0000", qdq, "b0001", tmp.resolve("missing.onnx"));

        Map<String, BenchResult> timed = ws.evaluator().benchSideBySide(trials, baselines, 0.3, 3);

        assertEquals(List.of("t0000", "t0001", "b0000"), List.copyOf(timed.keySet()), "the missing file is left out");
        for (BenchResult b : timed.values()) {
            assertTrue(
                    b.ok() && b.medianMs() > 0 && b.p10Ms() <= b.medianMs() && b.medianMs() <= b.p90Ms(), b.toString());
            assertTrue(b.runs() >= 3, "runs of all rounds together: " + b.runs());
        }
    }

    private static Genome genome(TrialWorkspace ws, int index) {
        List<Integer> values = new ArrayList<>();
        for (Gene g : ws.space().genes()) {
            values.add(Math.min(index, g.cardinality() - 1));
        }
        return new Genome(values);
    }
}

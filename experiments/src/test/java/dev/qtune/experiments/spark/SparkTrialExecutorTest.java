package dev.qtune.experiments.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.experiments.config.ExperimentReader;
import dev.qtune.experiments.run.TrialWorkspace;
import dev.qtune.search.space.Decoded;
import dev.qtune.search.space.Gene;
import dev.qtune.search.space.Genome;
import dev.qtune.search.trial.TrialKind;
import dev.qtune.search.trial.TrialResult;
import dev.qtune.search.trial.TrialSpec;
import dev.qtune.search.trial.TrialStatus;
import dev.qtune.targets.Targets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark executor on an embedded local[2] master with real trials on mlp_mnist (generic C). */
class SparkTrialExecutorTest {
    @TempDir
    Path tmp;

    @Test
    void eachTrialOfABatchReportsOnceAndAnUnrunnableOneComesBackFailed() throws Exception {
        Path file = LocalCluster.experiment(tmp, 3, 3);
        TrialWorkspace ws = TrialWorkspace.open(ExperimentReader.read(file), Targets.byName(Targets.GENERIC_C));
        Decoded first = ws.decoder().decode(genome(ws, 0));
        Decoded second = ws.decoder().decode(genome(ws, 1));
        // the driver's hash differs from what the executor decodes: as if the nodes saw another model
        Decoded tampered =
                new Decoded(first.genome(), first.qconfig(), first.schedule(), first.layers(), "not-the-hash");
        List<TrialSpec> batch = List.of(
                spec(0, first, TrialKind.SEARCH),
                spec(1, second, TrialKind.SEARCH),
                spec(2, tampered, TrialKind.SEARCH));
        Map<String, TrialResult> results = new TreeMap<>();
        List<TrialResult> finals = new ArrayList<>();
        try (SparkTrialExecutor spark = new SparkTrialExecutor(
                SparkTrialExecutor.context("local[2]", "local[2]", "qtune test"),
                true,
                TrialEnvironment.of(file, Targets.GENERIC_C),
                ws)) {
            assertEquals(2, spark.parallelism());
            spark.run(
                    batch,
                    r -> assertEquals(
                            null,
                            results.put(r.spec().id(), r),
                            "two results for " + r.spec().id()));
            spark.run(List.of(spec(0, first, TrialKind.FINAL), spec(1, second, TrialKind.FINAL)), finals::add);
        }
        assertEquals(List.of("t0000", "t0001", "t0002"), List.copyOf(results.keySet()));
        for (String id : List.of("t0000", "t0001")) {
            TrialResult r = results.get(id);
            assertEquals(TrialStatus.OK, r.status(), r.reason());
            assertTrue(r.metrics().orElseThrow().top1() > 0.5);
            assertTrue(r.times().compile() > 0, "stage times travel back");
            assertEquals(batch.get(Integer.parseInt(id.substring(1))), r.spec(), "the driver's own spec is kept");
        }
        TrialResult bad = results.get("t0002");
        assertEquals(TrialStatus.FAILED, bad.status());
        assertTrue(bad.reason().startsWith("executor: the executor decoded the genome to config "), bad.reason());
        assertEquals(2, finals.size());
        assertTrue(finals.stream().allMatch(TrialResult::ok));
    }

    @Test
    void anExecutorRefusesAnExperimentFileThatChanged() throws Exception {
        Path file = LocalCluster.experiment(tmp, 3, 3);
        TrialEnvironment env = new TrialEnvironment(file.toString(), "0".repeat(64), Targets.GENERIC_C, Map.of());
        WireResult r = SparkWorker.run(env, new WireSpec("t0000", 0, 0, "search", "", List.of(0), "h", 10, 0.1));
        assertNotNull(r.error());
        assertTrue(
                r.error().contains("experiment file " + file + " differs on this node from the driver's"), r.error());
    }

    private static Genome genome(TrialWorkspace ws, int index) {
        List<Integer> values = new ArrayList<>();
        for (Gene g : ws.space().genes()) {
            values.add(Math.min(index, g.cardinality() - 1));
        }
        return new Genome(values);
    }

    private static TrialSpec spec(int n, Decoded d, TrialKind kind) {
        return new TrialSpec(n, 0, kind, kind == TrialKind.FINAL ? String.format("t%04d", n) : "", d, 100, 0.05);
    }
}

package dev.qtune.experiments.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches on a real standalone cluster (a master and two workers on 127.0.0.1, started from the
 * Maven jars by scripts/spark-cluster.sh), submitted through SparkSubmit with the shaded jar.
 */
class SparkClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void searchRunsOnTwoWorkersAndTheScriptStopsWhatItStarted() throws Exception {
        Path exp = LocalCluster.experiment(tmp, 6, 3);
        Path run = tmp.resolve("run");
        Map<String, Long> pids;
        try (LocalCluster cluster = LocalCluster.start(tmp.resolve("cluster"))) {
            pids = cluster.pids();
            assertEquals(Set.of("master", "worker-1", "worker-2"), pids.keySet());
            Path log = tmp.resolve("submit.log");
            Process p = cluster.submit(exp, run, log);
            assertTrue(p.waitFor(600, TimeUnit.SECONDS), "the search did not end in 10 minutes");
            assertEquals(0, p.exitValue(), () -> LocalCluster.read(log));
            assertTrue(LocalCluster.read(log).contains("trials on spark spark://127.0.0.1:"), LocalCluster.read(log));
        }
        for (Map.Entry<String, Long> e : pids.entrySet()) {
            assertFalse(
                    LocalCluster.alive(e.getValue()), e.getKey() + " (pid " + e.getValue() + ") still runs after stop");
        }
        List<JsonNode> search = searchTrials(run);
        assertEquals(6, search.size());
        assertTrue(search.stream().allMatch(r -> r.path("status").asText().equals("OK")), search.toString());
        assertFalse(search.get(0).path("provenance").path("host").asText().isEmpty());
        assertTrue(Files.readAllLines(run.resolve("trials.jsonl")).stream()
                .anyMatch(l -> l.contains("\"kind\":\"final\"")));
        assertTrue(Files.exists(run.resolve("report.html")));
        for (int w = 1; w <= 2; w++) {
            assertTrue(executorLaunched(tmp.resolve("cluster").resolve("work-" + w)), "no executor ran on worker " + w);
        }
    }

    /** The log's search trials, each id once (fails on a duplicate). */
    static List<JsonNode> searchTrials(Path run) throws IOException {
        List<JsonNode> search = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String line : Files.readAllLines(run.resolve("trials.jsonl"))) {
            JsonNode r = JSON.readTree(line);
            if (r.path("kind").asText().equals("search")) {
                assertTrue(ids.add(r.path("id").asText()), "trial " + r.path("id") + " twice in trials.jsonl");
                search.add(r);
            }
        }
        return search;
    }

    /** Whether the worker started an executor (its work folder has app-*&#47;N/stderr). */
    private static boolean executorLaunched(Path workDir) throws IOException {
        if (!Files.isDirectory(workDir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            return files.anyMatch(f -> f.getFileName().toString().equals("stderr"));
        }
    }
}

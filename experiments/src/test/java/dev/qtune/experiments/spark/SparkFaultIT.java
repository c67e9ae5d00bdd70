package dev.qtune.experiments.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed with SIGKILL in the middle of a search: Spark re-runs the lost task on the other
 * worker, and trials.jsonl ends with every trial of the budget exactly once.
 */
class SparkFaultIT {
    private static final int BUDGET = 8;

    @TempDir
    Path tmp;

    @Test
    void workerKilledMidSearchLosesAndDuplicatesNoTrial() throws Exception {
        Path exp = LocalCluster.experiment(tmp, BUDGET, 4);
        Path run = tmp.resolve("run");
        Path log = tmp.resolve("submit.log");
        try (LocalCluster cluster = LocalCluster.start(tmp.resolve("cluster"))) {
            long worker = cluster.pids().get("worker-2");
            Process p = cluster.submit(exp, run, log);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (searchLines(run) < 1 && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(
                    p.isAlive(), () -> "the search ended before a worker could be killed: " + LocalCluster.read(log));
            int before = searchLines(run);
            assertTrue(before >= 1 && before < BUDGET, "killed after " + before + " trials");
            List<ProcessHandle> executors =
                    ProcessHandle.of(worker).orElseThrow().descendants().toList();
            assertFalse(executors.isEmpty(), "worker-2 had no executor process when it was killed");
            ProcessHandle.of(worker).orElseThrow().destroyForcibly();
            assertTrue(p.waitFor(600, TimeUnit.SECONDS), "the search did not end after the worker was killed");
            assertEquals(0, p.exitValue(), () -> LocalCluster.read(log));
            for (ProcessHandle e : executors) {
                // the orphaned executor exits on its own when its worker is gone; never leave one behind
                boolean gone;
                try {
                    e.onExit().get(60, TimeUnit.SECONDS);
                    gone = true;
                } catch (TimeoutException t) {
                    gone = false;
                    e.destroyForcibly();
                }
                assertTrue(gone, "executor pid " + e.pid() + " outlived its killed worker by 60 s");
            }
        }
        // For the record (the test report): what Spark said about the lost executor and its task.
        LocalCluster.read(log).lines().filter(l -> l.contains("Lost")).limit(10).forEach(System.out::println);
        List<JsonNode> search = SparkClusterIT.searchTrials(run);
        assertEquals(BUDGET, search.size(), "search trials in trials.jsonl");
        assertTrue(
                search.stream().allMatch(r -> r.path("status").asText().equals("OK")),
                () -> "a trial lost with the worker came back FAILED: " + search);
    }

    private static int searchLines(Path run) throws IOException {
        Path log = run.resolve("trials.jsonl");
        if (!Files.exists(log)) {
            return 0;
        }
        return (int) Files.readAllLines(log).stream()
                .filter(l -> l.contains("\"kind\":\"search\""))
                .count();
    }
}

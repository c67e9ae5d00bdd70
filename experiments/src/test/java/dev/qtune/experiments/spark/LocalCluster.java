package dev.qtune.experiments.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.experiments.testing.TinyExperiment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A standalone cluster on 127.0.0.1 through scripts/spark-cluster.sh (start, submit, stop), with
 * the shaded jar that package built (QTUNE_SKIP_BUILD=1: no build inside the build).
 */
final class LocalCluster implements AutoCloseable {
    static final Path ROOT = TinyExperiment.ROOT;
    private static final Path SCRIPT = ROOT.resolve("scripts").resolve("spark-cluster.sh");

    private final Path dir;

    private LocalCluster(Path dir) {
        this.dir = dir;
    }

    /** Starts a master and two workers with one core each; their logs and pids go under {@code dir}. */
    static LocalCluster start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Process p = script(dir.resolve("start.log"), "start", dir.toString());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "cluster start timed out");
        assertEquals(0, p.exitValue(), () -> "cluster start failed: " + read(dir.resolve("start.log")));
        return new LocalCluster(dir);
    }

    /** The processes the script started, by name (master, worker-1, worker-2). */
    Map<String, Long> pids() throws IOException {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("pids"))) {
            String[] f = line.trim().split(" ");
            pids.put(f[0], Long.parseLong(f[1]));
        }
        return pids;
    }

    /** Submits a search through SparkSubmit; its output goes to {@code log}. */
    Process submit(Path experiment, Path out, Path log) throws IOException {
        return script(log, "submit", dir.toString(), experiment.toString(), "--out", out.toString());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Process p = script(dir.resolve("stop.log"), "stop", dir.toString());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "cluster stop timed out");
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }

    /** A tiny search on mlp_mnist: {@code trials} trials in batches of {@code batch}. */
    static Path experiment(Path dir, int trials, int batch) throws IOException {
        return TinyExperiment.write(dir, "cluster-test", trials, batch, 1, 11);
    }

    private static Process script(Path log, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of("bash", SCRIPT.toString())));
        pb.command().addAll(List.of(args));
        pb.environment().put("QTUNE_SKIP_BUILD", "1");
        pb.environment().put("QTUNE_DATA", ROOT.resolve("data").toString());
        return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}

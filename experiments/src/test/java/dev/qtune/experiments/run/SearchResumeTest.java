package dev.qtune.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.experiments.cli.QtuneMain;
import dev.qtune.experiments.testing.TinyExperiment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real search (mlp_mnist, native code for this host) killed with SIGKILL mid-run, a torn line
 * appended as a kill mid-write would leave, then resumed: the log ends with exactly the budget's
 * search trials, none duplicated, and every run-directory file is there.
 */
class SearchResumeTest {
    private static final int BUDGET = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void killedSearchResumesToExactlyTheBudget() throws Exception {
        Path exp = experiment(tmp);
        Path run = tmp.resolve("run");
        Process p = new ProcessBuilder(javaCommand(exp, run))
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("first.log").toFile())
                .start();
        Path log = run.resolve(RunDirectory.TRIALS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (searchLines(log) < 5 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(
                p.isAlive(),
                "the search ended before it could be killed: " + Files.readString(tmp.resolve("first.log")));
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        int before = searchLines(log);
        assertTrue(before >= 5 && before < BUDGET, "killed after " + before + " trials");
        Files.writeString(log, "{\"trial\": 99, \"id\": \"t00", StandardOpenOption.APPEND);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = QtuneMain.run(
                new String[] {"search", exp.toString(), "--out", run.toString(), "--resume"},
                new PrintWriter(out),
                new PrintWriter(err));
        assertEquals(0, status, err.toString());

        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            records.add(JSON.readTree(line));
        }
        List<JsonNode> search = records.stream()
                .filter(r -> r.path("kind").asText().equals("search"))
                .toList();
        assertEquals(BUDGET, search.size(), "search trials in the log");
        Set<String> ids = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (JsonNode r : search) {
            assertTrue(ids.add(r.path("id").asText()), "duplicate id " + r.path("id"));
            assertTrue(hashes.add(r.path("config_hash").asText()), "duplicate config " + r.path("id"));
            assertTrue(r.path("times_s").has("compile"));
            assertTrue(r.path("provenance").has("host"));
        }
        JsonNode pareto = JSON.readTree(run.resolve(RunDirectory.PARETO).toFile());
        assertEquals(BUDGET, pareto.path("trials").asInt());
        assertFalse(pareto.path("front").isEmpty());
        for (JsonNode f : pareto.path("front")) {
            QuantConfigReader.read(run.resolve(f.path("qconfig").asText()));
        }
        assertTrue(pareto.has("final"), "final re-measure in pareto.json");
        assertTrue(records.stream().anyMatch(r -> r.path("kind").asText().equals("final")));
        List<String> progress = Files.readAllLines(run.resolve(RunDirectory.PROGRESS));
        assertEquals(RunDirectory.PROGRESS_HEADER, progress.get(0));
        assertTrue(progress.size() >= 3, "a row per generation: " + progress);
        assertTrue(Files.readString(run.resolve("report.html")).contains("<svg"));
    }

    private static int searchLines(Path log) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        return (int) Files.readAllLines(log).stream()
                .filter(l -> l.contains("\"kind\":\"search\""))
                .count();
    }

    static Path experiment(Path dir) throws IOException {
        return TinyExperiment.write(
                dir,
                "resume-test",
                BUDGET,
                4,
                2,
                7,
                "constraints: {max_drop: {absolute: 5}}",
                "executor: {workers: 1}");
    }

    private static List<String> javaCommand(Path exp, Path run) {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                cp,
                "-Dqtune.data.dir=" + Path.of("..", "data").toAbsolutePath().normalize(),
                "dev.qtune.experiments.cli.QtuneMain",
                "search",
                exp.toString(),
                "--out",
                run.toString());
    }
}

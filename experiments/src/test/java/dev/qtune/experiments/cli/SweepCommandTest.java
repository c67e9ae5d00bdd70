package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qtune.experiments.testing.TinyExperiment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real sweep of {nsga2, bayesian, random} x 3 seeds on mlp_mnist, concurrently on one embedded
 * Spark context: nine run directories, the manifest, the comparison table and sweep.html.
 */
class SweepCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aSweepOfThreeStrategiesAndThreeSeedsWritesTheComparisonReport() throws Exception {
        Path file = TinyExperiment.write(
                tmp,
                "sweep-test",
                3,
                3,
                0,
                1,
                "executor: {workers: 2}",
                "sweep:",
                "  strategy: [nsga2, bayesian, random]",
                "  seed: [1, 2, 3]");
        Path out = tmp.resolve("sweep");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int status = QtuneMain.run(
                new String[] {"sweep", file.toString(), "--out", out.toString()},
                new PrintWriter(stdout),
                new PrintWriter(stderr));
        assertEquals(0, status, stderr.toString());
        JsonNode manifest =
                new ObjectMapper().readTree(out.resolve("sweep.json").toFile());
        assertEquals(9, manifest.path("runs").size());
        for (JsonNode r : manifest.path("runs")) {
            assertEquals("OK", r.path("status").asText(), r.toString());
            Path run = out.resolve(r.path("dir").asText());
            long search = Files.readAllLines(run.resolve("trials.jsonl")).stream()
                    .filter(l -> l.contains("\"kind\":\"search\""))
                    .count();
            assertEquals(3, search, run + ": search trials");
            assertTrue(Files.exists(run.resolve("report.html")));
        }
        assertTrue(stderr.toString().contains("[bayesian-s2] generation"), "per-run progress lines");
        String table = stdout.toString();
        assertTrue(table.contains("Mean hypervolume per group:"), table);
        for (String group : new String[] {"| nsga2 | 3 |", "| bayesian | 3 |", "| random | 3 |"}) {
            assertTrue(table.contains(group), group + " in\n" + table);
        }
        String html = Files.readString(out.resolve("sweep.html"));
        assertTrue(html.contains("Hypervolume against trials (mean per group)"));
        assertEquals(2, html.split("<svg class=\"chart\"", -1).length - 1, "two charts");
        assertTrue(html.contains("href=\"nsga2-s1/report.html\""), "links to each run's report");
    }
}

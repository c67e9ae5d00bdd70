package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qtune.experiments.run.RunDirectory;
import dev.qtune.experiments.testing.TinyExperiment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real search with the model-based strategy (mlp_mnist, native code for this host): the
 * sensitivity analysis runs first and is written to sensitivity.json (one entry per layer and
 * option), the first trial is the base config, the uniform configs follow, the final re-measure
 * covers the base config's trial on the holdout split beside the fp32 model's top-1 there, and
 * `qtune sensitivity` prints the cached table.
 */
class SearchSensitivityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void sensitivityStrategyStartsFromTheBaseConfigAndReportsIt() throws IOException {
        Path exp = TinyExperiment.write(tmp, "sensitivity-test", 6, 3, 1, 1, "executor: {type: local, workers: 2}");
        Files.writeString(
                exp,
                Files.readString(exp)
                        .replace("strategy: {name: nsga2", "strategy: {name: sensitivity")
                        .replace("weight_bits: [8, 6, 4, 3]", "weight_bits: [8, 4]")
                        .replace("activation_bits: [8, 6]", "activation_bits: [8]")
                        .replace(
                                "calibration: [max, kl, percentile]",
                                "calibration: [kl, max]\n  granularity: [per_channel]"));
        Path run = tmp.resolve("run");
        CliRun search = CliRun.of("search", exp.toString(), "--out", run.toString());
        assertEquals(0, search.status(), search.err());

        JsonNode table = JSON.readTree(run.resolve("sensitivity.json").toFile());
        // 3 layers x (4-bit weights, max calibration, fp32)
        assertEquals(9, table.path("entries").size(), table.toString());
        assertTrue(
                table.path("base").path("divergence").asDouble() >= 0,
                table.path("base").toString());
        for (JsonNode e : table.path("entries")) {
            assertTrue(e.path("ok").asBoolean(), e.toString());
        }

        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve(RunDirectory.TRIALS))) {
            records.add(JSON.readTree(line));
        }
        // records are appended as trials end (two at a time): find the first trial by its id
        JsonNode first = records.stream()
                .filter(r -> r.path("id").asText().equals("t0000"))
                .findFirst()
                .orElseThrow();
        for (JsonNode l : first.path("layers")) {
            assertEquals(8, l.path("weight_bits").asInt(), "the base config: qtune's int8 defaults " + l);
            assertEquals("kl", l.path("calibration").asText(), l.toString());
            assertEquals(false, l.path("skip").asBoolean(), l.toString());
        }
        assertTrue(
                first.path("metrics").has("divergence") && first.path("metrics").has("agreement"), first.toString());
        assertEquals(2, first.path("metrics").path("top1_ci95").size());
        assertEquals(
                6,
                records.stream()
                        .filter(r -> r.path("kind").asText().equals("search"))
                        .count());
        assertTrue(
                records.stream()
                        .anyMatch(r -> r.path("kind").asText().equals("final")
                                && r.path("of").asText().equals("t0000")),
                "the base config is re-measured at the end");

        JsonNode pareto = JSON.readTree(run.resolve(RunDirectory.PARETO).toFile());
        assertEquals("holdout", pareto.path("final_split").asText());
        assertTrue(pareto.path("fp32_final_top1").asDouble() > 0.9, pareto.toString());
        String report = Files.readString(run.resolve("report.html"));
        assertTrue(report.contains("Sensitivity by layer"), "the report draws the table");

        CliRun resumed = CliRun.of("search", exp.toString(), "--out", run.toString(), "--resume");
        assertEquals(0, resumed.status(), resumed.err());
        long searchRecords = Files.readAllLines(run.resolve(RunDirectory.TRIALS)).stream()
                .filter(l -> l.contains("\"kind\":\"search\""))
                .count();
        assertEquals(6, searchRecords, "a resumed run replays the same proposals from the run's own table");

        CliRun again = CliRun.of(
                "sensitivity", exp.toString(), "--out", tmp.resolve("again").toString());
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("base config: KL") && again.out().contains("9 options"), again.out());
        assertEquals(
                table,
                JSON.readTree(tmp.resolve("again").resolve("sensitivity.json").toFile()),
                "the second analysis of the same space comes from the cache");
    }
}

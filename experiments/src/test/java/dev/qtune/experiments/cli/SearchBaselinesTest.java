package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qtune.evaluator.quant.QuantEvaluation;
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
 * Baselines in a real search (mlp_mnist, native code for this host): a QDQ file written by
 * `qtune export` and a file that is not pre-quantized. The first is one OK baseline record whose
 * top-1 is what `eval --target` gives for the same file and images, the second one FAILED record
 * with its reason; the budget counts only search trials, pareto.json lists both baselines beside
 * a front without them, the report names the label, and a resumed run adds no baseline record.
 */
class SearchBaselinesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BUDGET = 4;
    private static final String LABEL = "int8 max export";
    private static final String BAD_LABEL = "fp32, not quantized";

    @TempDir
    Path tmp;

    @Test
    void baselinesAreMeasuredOnceLoggedAndDrawn() throws IOException {
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
        Path fp32 = TinyExperiment.ROOT.resolve("models").resolve("mlp_mnist.onnx");
        Path exp = TinyExperiment.write(
                tmp,
                "baselines-test",
                BUDGET,
                2,
                1,
                3,
                "executor: {type: local, workers: 1}",
                "baselines:",
                "  - {label: '" + LABEL + "', file: '" + qdq + "'}",
                "  - {label: '" + BAD_LABEL + "', file: '" + fp32 + "'}");
        Path run = tmp.resolve("run");

        CliRun search = CliRun.of("search", exp.toString(), "--out", run.toString());
        assertEquals(0, search.status(), search.err());
        assertTrue(search.out().contains("baseline " + LABEL + " (b0000): top-1 "), search.out());
        List<JsonNode> records = log(run);
        List<JsonNode> baselines = ofKind(records, "baseline");
        assertEquals(2, baselines.size(), "baseline records: " + baselines);
        assertEquals(
                BUDGET, ofKind(records, "search").size(), "search trials: baselines do not count against the budget");

        JsonNode ok = baselines.get(0);
        assertEquals(LABEL, ok.path("label").asText());
        assertEquals("b0000", ok.path("id").asText());
        assertEquals("OK", ok.path("status").asText(), ok.toString());
        assertEquals(qdq.toString(), ok.path("file").asText());
        assertEquals(QuantEvaluation.sha256(qdq), ok.path("config_hash").asText());
        assertEquals(
                QuantEvaluation.sha256(qdq),
                ok.path("provenance").path("model_sha256").asText());
        assertFalse(ok.has("genome"));
        JsonNode m = ok.path("metrics");
        assertEquals(200, m.path("samples").asInt());
        assertTrue(m.path("top1").asDouble() > 0.9, "top-1 of the int8 export: " + m);
        assertTrue(m.path("latency_ms").path("median").asDouble() > 0, m.toString());
        assertTrue(m.path("size_bytes").asLong() > 0, m.toString());
        assertFalse(ok.path("layers").isEmpty(), "layers read from the imported graph");
        for (JsonNode l : ok.path("layers")) {
            assertEquals(8, l.path("weight_bits").asInt(), l.toString());
            assertEquals("file", l.path("calibration").asText(), l.toString());
        }
        assertTrue(ok.path("times_s").path("compile").asDouble() >= 0);

        CliRun eval = CliRun.of(
                "eval",
                qdq.toString(),
                "--data",
                "mnist",
                "--split",
                "validation",
                "--limit",
                "200",
                "--target",
                ok.path("provenance").path("target").asText(),
                "--json");
        assertEquals(0, eval.status(), eval.err());
        assertEquals(
                JSON.readTree(eval.out()).path("top1").asDouble(),
                m.path("top1").asDouble(),
                "the baseline runs the file as `eval --target` does");

        JsonNode bad = baselines.get(1);
        assertEquals(BAD_LABEL, bad.path("label").asText());
        assertEquals("FAILED", bad.path("status").asText());
        assertTrue(
                bad.path("reason").asText().startsWith("import: ")
                        && bad.path("reason").asText().contains("is not a pre-quantized model"),
                bad.path("reason").asText());
        assertFalse(bad.has("metrics"));

        JsonNode pareto = JSON.readTree(run.resolve(RunDirectory.PARETO).toFile());
        assertEquals(BUDGET, pareto.path("trials").asInt());
        JsonNode listed = pareto.path("baselines");
        assertEquals(2, listed.size(), listed.toString());
        assertEquals(LABEL, listed.get(0).path("label").asText());
        assertEquals(qdq.toString(), listed.get(0).path("file").asText());
        assertEquals("OK", listed.get(0).path("status").asText());
        assertEquals(m.path("top1").asDouble(), listed.get(0).path("top1").asDouble());
        assertEquals(
                m.path("latency_ms").path("median").asDouble(),
                listed.get(0).path("latency_ms").asDouble());
        assertEquals("FAILED", listed.get(1).path("status").asText());
        assertTrue(listed.get(1).has("reason"));
        for (JsonNode f : pareto.path("front")) {
            assertTrue(f.path("id").asText().startsWith("t"), "the front holds search trials only: " + f);
        }
        String report = Files.readString(run.resolve("report.html"));
        // the plot's text is drawn as glyph outlines (see report/Svg): the label is checked in the baselines table
        assertTrue(report.contains("<td>b0000</td><td>" + LABEL + "</td><td>OK</td>"), "the baselines table");
        assertTrue(report.contains("<td>b0001</td><td>" + BAD_LABEL + "</td><td>FAILED</td>"), "the failed baseline");
        assertTrue(report.contains("<svg"), "the Pareto plot");

        CliRun resumed = CliRun.of("search", exp.toString(), "--out", run.toString(), "--resume");
        assertEquals(0, resumed.status(), resumed.err());
        List<JsonNode> after = log(run);
        assertEquals(baselines, ofKind(after, "baseline"), "a resumed run does not run a logged baseline again");
        assertEquals(BUDGET, ofKind(after, "search").size());
        assertEquals(
                2,
                JSON.readTree(run.resolve(RunDirectory.PARETO).toFile())
                        .path("baselines")
                        .size());
        assertTrue(resumed.out().contains("baseline " + BAD_LABEL + " (b0001): FAILED: import: "), resumed.out());
    }

    private static List<JsonNode> log(Path run) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve(RunDirectory.TRIALS))) {
            records.add(JSON.readTree(line));
        }
        return records;
    }

    private static List<JsonNode> ofKind(List<JsonNode> records, String kind) {
        return records.stream()
                .filter(r -> r.path("kind").asText().equals(kind))
                .toList();
    }
}

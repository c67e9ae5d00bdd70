package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qtune eval --metric}: an experiment's metric beside top-1, on mlp_mnist's first 200 MNIST
 * test images, for the fp32 interpreter, a quant config on the integer interpreter and on native
 * code, with the built-in metrics and a command; a bad spec is a one-line command-line error.
 */
class EvalMetricTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "../models/mlp_mnist.onnx";
    private static final String QCONFIG = "../experiments/qconfigs/int8_max.yaml";

    @TempDir
    Path tmp;

    private static JsonNode eval(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("eval", MODEL, "--data", "mnist", "--limit", "200", "--json"));
        args.addAll(List.of(extra));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        return JSON.readTree(r.out());
    }

    @Test
    void builtInMetricsOfTheFp32Model() throws IOException {
        JsonNode top1 = eval("--metric", "{top_k: 1}");
        assertEquals("top1", top1.path("metric").path("name").asText());
        assertEquals(top1.path("top1").asDouble(), top1.path("accuracy").asDouble(), 1e-12, top1.toString());
        assertEquals(200, top1.path("samples").asInt());
        JsonNode top5 = eval("--metric", "{top_k: 5}");
        assertEquals("top5", top5.path("metric").path("name").asText());
        assertTrue(top5.path("accuracy").asDouble() > top1.path("top1").asDouble(), top5.toString());
        assertTrue(top5.path("metric").path("fraction").asBoolean());
        assertEquals(1.0, eval("--metric", "agreement").path("accuracy").asDouble(), "fp32 agrees with itself");
        CliRun text = CliRun.of("eval", MODEL, "--data", "mnist", "--limit", "200", "--metric", "{top_k: 5}");
        assertEquals(0, text.status(), text.err());
        assertTrue(
                text.out()
                        .matches(
                                "(?s).*: top-1 \\d+\\.\\d\\d% \\(\\d+/200\\), top5 \\d+\\.\\d\\d%, fp32 interpreter.*"),
                text.out());
    }

    @Test
    void aQuantConfigsMetricBesideTheFp32Models() throws IOException {
        JsonNode agreement = eval("--qconfig", QCONFIG, "--metric", "agreement");
        assertEquals(
                agreement.path("agreement").asDouble(),
                agreement.path("accuracy").asDouble(),
                1e-12,
                "the same agreement as eval --qconfig reports: " + agreement);
        assertEquals(1.0, agreement.path("accuracy_fp32").asDouble());
        JsonNode top1 = eval("--qconfig", QCONFIG, "--metric", "top1");
        assertEquals(top1.path("top1").asDouble(), top1.path("accuracy").asDouble(), 1e-12, top1.toString());
        assertEquals(
                top1.path("top1_fp32").asDouble(), top1.path("accuracy_fp32").asDouble(), 1e-12, top1.toString());
    }

    @Test
    void aCommandMetricOnNativeCode() throws IOException {
        Path script = Files.writeString(tmp.resolve("Top1.java"), SearchDataAndMetricsTest.TOP1);
        String spec = "{command: ['" + SearchDataAndMetricsTest.java() + "', '" + script
                + "'], timeout_s: 120, name: my_top1}";
        JsonNode r = eval("--qconfig", QCONFIG, "--target", "generic-c", "--metric", spec);
        assertEquals("my_top1", r.path("metric").path("name").asText());
        assertFalse(r.path("metric").path("fraction").asBoolean());
        assertEquals(
                r.path("top1").asDouble(),
                r.path("accuracy").asDouble(),
                1e-12,
                "the command computed top-1 from the native module's outputs: " + r);
        assertEquals(
                r.path("top1_fp32").asDouble(),
                r.path("accuracy_fp32").asDouble(),
                1e-12,
                "and from the fp32 model's: " + r);
        assertEquals("generic-c", r.path("target").asText());
    }

    @Test
    void aBadSpecIsOneLineNamingTheOption() {
        CliRun r = CliRun.of("eval", MODEL, "--data", "mnist", "--limit", "10", "--metric", "top5");
        assertEquals(2, r.status());
        assertTrue(
                r.errLines().get(0).startsWith("qtune: --metric: must be top1, agreement, {top_k: K} or {command: "),
                r.err());
        assertTrue(r.err().contains("but was 'top5'"), r.err());
        r = CliRun.of("eval", MODEL, "--data", "mnist", "--limit", "10", "--metric", "{top_k: 0}");
        assertEquals(2, r.status());
        assertTrue(r.errLines().get(0).startsWith("qtune: --metric: top_k: must be in 1..1000, but was 0"), r.err());
    }
}

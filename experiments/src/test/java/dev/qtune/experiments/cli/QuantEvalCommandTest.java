package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `eval --qconfig`: the JSON contract, the statistics cache, and bad configs. */
class QuantEvalCommandTest {
    private static final String LENET = "../models/lenet5_mnist.onnx";
    private static final String CONFIGS = "../experiments/qconfigs/";

    @TempDir
    Path dir;

    @BeforeEach
    void privateCache() {
        CacheProperty.usePrivate(dir.resolve("cache"));
    }

    @AfterEach
    void restoreCache() {
        CacheProperty.restoreShared();
    }

    @Test
    void secondConfigReusesTheCalibrationStatistics() throws Exception {
        CliRun first = CliRun.of(
                "eval", LENET, "--data", "mnist", "--qconfig", CONFIGS + "int8_max.yaml", "--limit", "300", "--json");
        assertEquals(0, first.status(), first.err());
        JsonNode json = new ObjectMapper().readTree(first.out());
        assertEquals("int", json.get("precision").asText());
        assertFalse(json.get("calibration").get("cache_hit").asBoolean());
        assertEquals(1000, json.get("calibration").get("samples").asInt());
        assertTrue(first.err().contains("calibration: 1000 samples in"), first.err());
        double top1 = json.get("top1").asDouble();
        double fp32 = json.get("top1_fp32").asDouble();
        assertTrue(Math.abs(top1 - fp32) <= 0.01, "int8 within a point of fp32 on 300 images: " + top1 + " vs " + fp32);
        assertTrue(json.get("agreement").asDouble() >= 0.98, json.toString());
        assertEquals(300, json.get("samples").asInt());
        assertEquals(5, json.get("layers").size());
        for (JsonNode layer : json.get("layers")) {
            assertEquals(8, layer.get("weight_bits").asInt());
            assertEquals("int", layer.get("precision").asText());
            assertTrue(layer.get("sqnr_db").asDouble() > 15, layer.toString());
        }
        long size = json.get("size_bytes").asLong();
        assertTrue(size > 61_706 && size < 2 * 61_706, "int8 weights: about one byte per parameter, but " + size);

        CliRun second = CliRun.of(
                "eval",
                LENET,
                "--data",
                "mnist",
                "--qconfig",
                CONFIGS + "w4a8.yaml",
                "--limit",
                "300",
                "--json",
                "--compare-simulated");
        assertEquals(0, second.status(), second.err());
        JsonNode again = new ObjectMapper().readTree(second.out());
        assertTrue(again.get("calibration").get("cache_hit").asBoolean(), second.out());
        assertTrue(second.err().contains("from the cache"), second.err());
        assertTrue(again.get("size_bytes").asLong() < size * 0.6, "4-bit weights take half the bytes");
        assertTrue(again.get("simulated_agreement").asDouble() >= 0.99, again.toString());
    }

    @Test
    void skippedLayersAreReportedAsFp32() throws Exception {
        CliRun r = CliRun.of(
                "eval",
                LENET,
                "--data",
                "mnist",
                "--qconfig",
                CONFIGS + "mixed_fp32_ends.yaml",
                "--limit",
                "100",
                "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode layers = new ObjectMapper().readTree(r.out()).get("layers");
        assertEquals("fp32", layers.get(0).get("precision").asText());
        assertEquals("int", layers.get(1).get("precision").asText());
        assertEquals("fp32", layers.get(layers.size() - 1).get("precision").asText());
    }

    @Test
    void unknownKey() throws IOException {
        assertBadConfig("defaults:\n  weight_bitz: 8\n", "bad.yaml", "defaults.weight_bitz", "weight_bits");
    }

    @Test
    void nineBits() throws IOException {
        assertBadConfig("defaults:\n  weight_bits: 9\n", "bad.yaml", "defaults.weight_bits", "9");
    }

    @Test
    void unknownMode() throws IOException {
        assertBadConfig(
                "defaults:\n  activation_calibration: entropy\n",
                "bad.yaml",
                "defaults.activation_calibration",
                "kl",
                "percentile",
                "entropy");
    }

    @Test
    void patternThatMatchesNothing() throws IOException {
        assertBadConfig(
                "layers:\n  - match: /no/such/Conv\n    weight_bits: 4\n",
                "bad.yaml",
                "layers[0].match",
                "/no/such/Conv",
                "/conv1/Conv");
    }

    private void assertBadConfig(String yaml, String... fragments) throws IOException {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, yaml);
        CliRun r = CliRun.of("eval", LENET, "--data", "mnist", "--qconfig", config.toString(), "--limit", "10");
        assertEquals(1, r.status(), r.err());
        assertEquals(1, r.errLines().size(), "one line on stderr: " + r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "stderr should mention '" + f + "': " + r.err());
        }
    }
}

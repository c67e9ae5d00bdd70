package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class EvalCommandTest {
    @Test
    void jsonHasTheDocumentedKeys() throws Exception {
        CliRun r = CliRun.of("eval", "../models/lenet5_mnist.onnx", "--data", "mnist", "--limit", "500", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("../models/lenet5_mnist.onnx", json.get("model").asText());
        assertEquals("fp32", json.get("precision").asText());
        assertEquals(500, json.get("samples").asInt());
        assertEquals("test", json.get("split").asText());
        double top1 = json.get("top1").asDouble();
        assertEquals(json.get("correct").asInt() / 500.0, top1, 1e-12);
        assertTrue(top1 > 0.97, "lenet5 on the first 500 MNIST test images: " + top1);
        assertTrue(json.get("seconds").asDouble() >= 0);
    }

    @Test
    void otherSplitsAndTextOutput() {
        CliRun r = CliRun.of(
                "eval",
                "../models/mlp_mnist.onnx",
                "--data",
                "mnist",
                "--split",
                "validation",
                "--limit",
                "200",
                "--threads",
                "1");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("mnist/validation") && r.out().contains("/200)"), r.out());
    }

    @Test
    void badCommandLinesExitWithStatusTwoAndOneLine() {
        CliRun missingData = CliRun.of("eval", "../models/mlp_mnist.onnx");
        assertEquals(2, missingData.status());
        assertEquals(1, missingData.errLines().size(), missingData.err());
        assertTrue(missingData.err().contains("--data"), missingData.err());

        CliRun negative = CliRun.of("eval", "../models/mlp_mnist.onnx", "--data", "mnist", "--limit", "-3");
        assertEquals(2, negative.status());
        assertTrue(negative.err().contains("--limit must be >= 0, but was -3"), negative.err());
    }
}

package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InspectCommandTest {
    /** MACs and parameters as models/README.md gives them. */
    @ParameterizedTest
    @CsvSource({"mlp_mnist, 234752, 235146", "lenet5_mnist, 416520, 61706", "resnet8_fashion, 37156608, 308074"})
    void jsonTotalsEqualTheModelReadme(String model, long macs, long params) throws Exception {
        CliRun r = CliRun.of("inspect", "../models/" + model + ".onnx", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(macs, json.get("macs").asLong());
        assertEquals(params, json.get("params").asLong());
        long layerMacs = 0;
        for (JsonNode layer : json.get("layers")) {
            layerMacs += layer.get("macs").asLong();
            assertTrue(
                    layer.has("name") && layer.has("op") && layer.has("output_shape") && layer.has("params"),
                    layer.toString());
        }
        assertEquals(macs, layerMacs, "per-layer MACs add up to the total");
    }

    @Test
    void tableListsEveryLayerAndTheTotals() {
        CliRun r = CliRun.of("inspect", "../models/lenet5_mnist.onnx");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("Conv"), r.out());
        assertTrue(r.out().contains("MaxPool"), r.out());
        assertTrue(r.out().contains("416,520"), r.out());
        assertTrue(r.out().contains("61,706"), r.out());
    }
}

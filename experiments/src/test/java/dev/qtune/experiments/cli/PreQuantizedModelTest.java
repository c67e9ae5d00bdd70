package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `inspect` and `eval` of a pre-quantized (QDQ) model, qtune's own export of LeNet-5 under
 * int8_max.yaml: the per-layer types and scales, the same top-1 as `eval --qconfig` of the fp32
 * model under the same config, and one-line errors for what is refused.
 */
class PreQuantizedModelTest {
    private static final String LENET = "../models/lenet5_mnist.onnx";
    private static final String INT8_MAX = "../experiments/qconfigs/int8_max.yaml";

    @TempDir
    static Path dir;

    static Path qdq;

    @BeforeAll
    static void export() {
        CacheProperty.usePrivate(dir.resolve("cache"));
        qdq = dir.resolve("lenet_int8.onnx");
        CliRun r = CliRun.of("export", LENET, "--data", "mnist", "--qconfig", INT8_MAX, "--out", qdq.toString());
        assertEquals(0, r.status(), r.err());
    }

    @AfterAll
    static void restoreCache() {
        CacheProperty.restoreShared();
    }

    @Test
    void evalRunsTheFileAsTheQuantizedModel() throws Exception {
        CliRun imported = CliRun.of("eval", qdq.toString(), "--data", "mnist", "--limit", "300", "--json");
        assertEquals(0, imported.status(), imported.err());
        JsonNode json = new ObjectMapper().readTree(imported.out());
        assertEquals("int", json.get("precision").asText());
        assertTrue(json.get("pre_quantized").asBoolean());
        assertEquals(300, json.get("samples").asInt());
        CliRun quantized =
                CliRun.of("eval", LENET, "--data", "mnist", "--qconfig", INT8_MAX, "--limit", "300", "--json");
        assertEquals(0, quantized.status(), quantized.err());
        assertEquals(
                new ObjectMapper().readTree(quantized.out()).get("top1").asDouble(),
                json.get("top1").asDouble(),
                "the same integer graph, the same predictions");
        CliRun text = CliRun.of("eval", qdq.toString(), "--data", "mnist", "--limit", "50");
        assertEquals(0, text.status(), text.err());
        assertTrue(text.out().contains("pre-quantized model, integer interpreter"), text.out());
    }

    @Test
    void inspectShowsTypesScalesAndZeroPoints() throws Exception {
        CliRun r = CliRun.of("inspect", qdq.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("pre-quantized (QDQ)"), r.out());
        assertTrue(r.out().contains("i8 6 scales "), "conv1's per-channel weights: " + r.out());
        assertTrue(r.out().contains("u8 s="), r.out());
        assertTrue(r.out().contains("zp=0"), r.out());
        assertTrue(r.out().contains("61,706"), "parameters behind the weight points: " + r.out());
        assertTrue(!r.out().contains("SimQuantize"), r.out());

        JsonNode json = new ObjectMapper()
                .readTree(CliRun.of("inspect", qdq.toString(), "--json").out());
        assertTrue(json.get("pre_quantized").asBoolean());
        assertEquals(416_520, json.get("macs").asLong());
        assertEquals(61_706, json.get("params").asLong());
        JsonNode conv1 = json.get("layers").get(2); // after the input's Sub and Div
        assertEquals("/conv1/Conv", conv1.get("name").asText(), conv1.toString());
        assertEquals("i8", conv1.get("weight").get("dtype").asText());
        assertEquals(6, conv1.get("weight").get("scales").size());
        assertEquals(0, conv1.get("weight").get("axis").asInt());
        assertEquals(0, conv1.get("weight").get("zero_point").asInt());
        assertEquals("u8", conv1.get("output").get("dtype").asText());
        assertEquals(255, conv1.get("output").get("range").get(1).asInt());
    }

    @Test
    void exportWritesAPreQuantizedModelBackWithItsOwnScales() throws Exception {
        Path again = dir.resolve("lenet_again.onnx");
        CliRun r = CliRun.of("export", qdq.toString(), "--out", again.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("QDQ model of pre-quantized"), r.out());
        JsonNode first = new ObjectMapper()
                .readTree(CliRun.of("eval", qdq.toString(), "--data", "mnist", "--limit", "300", "--json")
                        .out());
        JsonNode second = new ObjectMapper()
                .readTree(CliRun.of("eval", again.toString(), "--data", "mnist", "--limit", "300", "--json")
                        .out());
        assertEquals(first.get("top1").asDouble(), second.get("top1").asDouble());
        CliRun withConfig = CliRun.of("export", qdq.toString(), "--qconfig", INT8_MAX, "--out", again.toString());
        assertEquals(2, withConfig.status(), withConfig.err());
        assertTrue(withConfig.err().contains("--qconfig and --data do not apply"), withConfig.err());
        CliRun fp32WithoutConfig = CliRun.of("export", LENET, "--out", again.toString());
        assertEquals(2, fp32WithoutConfig.status(), fp32WithoutConfig.err());
        assertTrue(fp32WithoutConfig.err().contains("--qconfig and --data are required"), fp32WithoutConfig.err());
    }

    @Test
    void qconfigDoesNotApply() {
        CliRun r = CliRun.of("eval", qdq.toString(), "--data", "mnist", "--qconfig", INT8_MAX);
        assertEquals(2, r.status(), r.err());
        assertTrue(
                r.err().contains("pre-quantized (QDQ) model") && r.err().contains("--qconfig does not apply"), r.err());
    }

    @Test
    void unsupportedQuantizedOpIsOneLineAndExitOne() throws Exception {
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(qdq));
        var g = m.getGraph().toBuilder();
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (g.getNode(i).getOpType().equals("Conv")) {
                g.setNode(i, g.getNode(i).toBuilder().setOpType("QLinearMul"));
                break;
            }
        }
        Path bad = dir.resolve("qlinear.onnx");
        Files.write(bad, m.toBuilder().setGraph(g).build().toByteArray());
        for (String command : new String[] {"inspect", "eval"}) {
            CliRun r = command.equals("eval")
                    ? CliRun.of("eval", bad.toString(), "--data", "mnist", "--limit", "10")
                    : CliRun.of("inspect", bad.toString());
            assertEquals(1, r.status(), r.err());
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(
                    r.err()
                            .startsWith("qtune: error: " + bad
                                    + ": unsupported quantized op 'QLinearMul' (node '/conv1/Conv')"),
                    r.err());
        }
    }
}

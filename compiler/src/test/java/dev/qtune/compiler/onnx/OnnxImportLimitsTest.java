package dev.qtune.compiler.onnx;

import static dev.qtune.compiler.onnx.OnnxModels.graph;
import static dev.qtune.compiler.onnx.OnnxModels.model;
import static dev.qtune.compiler.onnx.OnnxModels.node;
import static dev.qtune.compiler.onnx.OnnxModels.reluGraph;
import static dev.qtune.compiler.onnx.OnnxModels.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qtune.compiler.InputLimits;
import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.pass.InferTypesPass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: an ONNX file is checked against limits before anything large is allocated; each refusal is one line. */
@Tag("reliability")
class OnnxImportLimitsTest {
    static final int FLOAT = OnnxModels.FLOAT;

    @TempDir
    Path dir;

    private static String oneLine(Runnable r) {
        QtuneException e = assertThrows(QtuneException.class, r::run);
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aDeviceIsRefusedWithoutReadingIt() {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        String m = assertTimeoutPreemptively(
                Duration.ofSeconds(10), () -> oneLine(() -> OnnxImporter.load(Path.of("/dev/zero"))));
        assertEquals("/dev/zero: must be a model file (a regular file), but is a device, FIFO or socket", m);
    }

    @Test
    void aFifoDoesNotHang() throws Exception {
        Path fifo = dir.resolve("model.onnx");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(p.waitFor() == 0, "mkfifo not available");
        String m = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> oneLine(() -> OnnxImporter.load(fifo)));
        assertTrue(m.contains("a device, FIFO or socket"), m);
    }

    @Test
    void aFileOverTheSizeLimitIsRefused() throws Exception {
        Path f = Files.write(dir.resolve("big.onnx"), new byte[4096]);
        System.setProperty(InputLimits.MODEL_BYTES, "1000");
        try {
            assertEquals(
                    f + ": a model file must be at most 1000 bytes, but is 4096 (raise -Dqtune.limit.model.bytes)",
                    oneLine(() -> OnnxImporter.load(f)));
        } finally {
            System.clearProperty(InputLimits.MODEL_BYTES);
        }
    }

    @Test
    void aDimensionOf2To31IsAClearError() {
        GraphProto.Builder g = graph("big")
                .addInput(value("x", FLOAT, 1, 1L << 31))
                .addOutput(value("y", FLOAT, 1, 1L << 31))
                .addNode(node("Relu", "r", List.of("x"), List.of("y")));
        String m = oneLine(() -> OnnxImporter.parse(model(13, g).toByteArray(), "m.onnx"));
        assertEquals("m.onnx: graph input 'x': dimension 1 must be below 2^31, but was 2147483648", m);
    }

    @Test
    void declaredElementsBeyondTheBudgetAreRefusedWithoutOverflow() {
        long d = 2_000_000_000L;
        GraphProto.Builder g = graph("big")
                .addInput(value("x", FLOAT, d, d, d, d, d))
                .addOutput(value("y", FLOAT, 1))
                .addNode(node("Relu", "r", List.of("x"), List.of("y")));
        String m = oneLine(() -> OnnxImporter.parse(model(13, g).toByteArray(), "m.onnx"));
        assertTrue(
                m.startsWith(
                        "m.onnx: graph input 'x': shape [2000000000, 2000000000, 2000000000, 2000000000, 2000000000]"
                                + " must have at most 268435456 elements"),
                m);
    }

    @Test
    void aGraphWithTooManyNodesIsRefusedBeforeConversion() {
        GraphProto.Builder g = reluGraph();
        for (int i = 0; i < 20_001; i++) {
            g.addNode(node("Relu", "extra" + i, List.of("y"), List.of("z" + i)));
        }
        assertEquals(
                "m.onnx: the graph must have at most 20000 nodes, but has 20002 (raise -Dqtune.limit.nodes)",
                oneLine(() -> OnnxImporter.parse(model(13, g).toByteArray(), "m.onnx")));
    }

    @Test
    void aFlattenOverAGigaChannelDoesNotOverflow() {
        System.setProperty(InputLimits.ELEMENTS, Long.toString(1L << 40));
        try {
            Graph huge = OnnxImporter.parse(
                    model(
                                    13,
                                    graph("flat")
                                            .addInput(value("x", FLOAT, 1, 1_000_000_000, 4, 4))
                                            .addOutput(value("y", FLOAT, -1, -1))
                                            .addNode(node(
                                                    "Flatten",
                                                    "flat0",
                                                    List.of("x"),
                                                    List.of("y"),
                                                    OnnxModels.intAttr("axis", 1))))
                            .toByteArray(),
                    "m.onnx");
            String m = oneLine(() -> new InferTypesPass().run(huge));
            assertTrue(m.startsWith("Flatten node 'flat0': shape [1x1000000000x4x4] must have fewer than 2^31"), m);
        } finally {
            System.clearProperty(InputLimits.ELEMENTS);
        }
    }
}

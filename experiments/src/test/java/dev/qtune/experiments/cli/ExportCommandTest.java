package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.experiments.peer.OrtRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `qtune export`: the QDQ file ONNX Runtime runs, the summary line, narrow activations, and bad input. */
class ExportCommandTest {
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
    void exportsAQdqModelThatOnnxRuntimeRuns() {
        Path out = dir.resolve("out/lenet_int8.onnx");
        CliRun r = CliRun.of(
                "export", LENET, "--data", "mnist", "--qconfig", CONFIGS + "int8_max.yaml", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("wrote " + out), r.out());
        assertTrue(r.out().contains("9 activation points, 5 int8 weights, 5 int32 biases"), r.out());
        assertTrue(r.err().contains("calibration: 1000 samples in"), r.err());
        assertTrue(Files.isRegularFile(out));
        try (OrtRunner ort = OrtRunner.open(out, 1, OptLevel.NO_OPT)) {
            double top1 = ort.evaluate(Datasets.load("mnist", "test"), 200, 50).top1();
            assertTrue(top1 >= 0.97, "ORT top-1 of the export on 200 images: " + top1);
        }
    }

    @Test
    void narrowActivationsAreReported() throws Exception {
        Path config = dir.resolve("w8a4.yaml");
        Files.writeString(config, "defaults:\n  activation_bits: 4\n  activation_calibration: max\n");
        CliRun r = CliRun.of(
                "export",
                LENET,
                "--data",
                "mnist",
                "--qconfig",
                config.toString(),
                "--out",
                dir.resolve("a4.onnx").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("activation tensors below 8 bits run at 8 bits in ONNX"), r.out());
    }

    @Test
    void sixteenBitActivationsAreAnError() throws Exception {
        Path config = dir.resolve("a16.yaml");
        Files.writeString(config, "defaults:\n  activation_bits: 16\n  activation_calibration: max\n");
        CliRun r = CliRun.of(
                "export",
                LENET,
                "--data",
                "mnist",
                "--qconfig",
                config.toString(),
                "--out",
                dir.resolve("a16.onnx").toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("qtune: error: ") && r.err().contains("2 to 8 bits"), r.err());
        assertTrue(!Files.exists(dir.resolve("a16.onnx")));
    }

    @Test
    void qconfigAndOutAreRequired() {
        CliRun r = CliRun.of(
                "export",
                LENET,
                "--data",
                "mnist",
                "--out",
                dir.resolve("x.onnx").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--qconfig"), r.err());
    }
}

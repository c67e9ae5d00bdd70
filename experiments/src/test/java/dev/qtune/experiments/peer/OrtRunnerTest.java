package dev.qtune.experiments.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.interp.IntegerInterpreter;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.onnx.QdqExporter;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.compiler.quant.QuantizedModel;
import dev.qtune.evaluator.accuracy.AccuracyEvaluator;
import dev.qtune.evaluator.accuracy.AccuracyResult;
import dev.qtune.evaluator.accuracy.ProgressListener;
import dev.qtune.evaluator.calibration.CalibrationCache;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.evaluator.quant.QuantEvaluation;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX Runtime as the peer: it runs qtune's QDQ exports as qtune's simulated graph does (NO_OPT,
 * 256 test images, 512 with -Pall), and the original fp32 model with the accuracy of qtune's fp32
 * interpreter (512 images).
 */
class OrtRunnerTest {
    static final int IMAGES = 512;
    /**
     * The QDQ comparison's images: resnet8's two interpreters on 512 were most of the class's time;
     * the agreement bound (99.5%) allows one differing image in 256. 512 with -Pall.
     */
    static final int QDQ_IMAGES = "full".equals(System.getProperty("qtune.test.cases")) ? 512 : 256;

    static final int CALIBRATION = 250;
    private static final Logger LOG = LoggerFactory.getLogger(OrtRunnerTest.class);

    @TempDir
    static Path dir;

    /**
     * The model quantized under a config from experiments/qconfigs, but calibrated on the first
     * {@value #CALIBRATION} calibration images (what is compared does not depend on calibration
     * quality, and 1000 resnet8 images cost 18 s here). The statistics go to the run's shared cache
     * (qtune.cache.dir, set by surefire), keyed by model, data and image count, so other classes'
     * 250-image calibrations of the same model are reused; nothing here tests the cache.
     */
    static QuantizedModel quantized(String model, String data, String config) {
        Path file = Path.of("..", "models", model + ".onnx");
        Graph fp32 = PassPipeline.prerequisites().run(OnnxImporter.load(file));
        QuantConfig c = QuantConfigReader.read(Path.of("..", "experiments", "qconfigs", config + ".yaml"));
        c = new QuantConfig(
                c.defaults(),
                c.layers(),
                CALIBRATION,
                c.globalScale(),
                c.allowFp32Islands(),
                c.boundaryCalibration(),
                c.source());
        return QuantEvaluation.quantize(
                        file, fp32, c, Datasets.load(data, "calibration"), 2, CalibrationCache.defaultDir())
                .model();
    }

    @ParameterizedTest(name = "{0} {2}")
    @CsvSource({"resnet8_fashion, fashion-mnist, int8_max", "lenet5_mnist, mnist, int8_max"})
    void qdqExportRunsAsTheSimulatedGraph(String model, String data, String config) {
        QuantizedModel q = quantized(model, data, config);
        Path onnx = dir.resolve(model + "_" + config + ".onnx");
        QdqExporter.write(q, onnx);
        Dataset test = Datasets.load(data, "test");
        long t0 = System.nanoTime();
        AccuracyResult ort;
        try (OrtRunner runner = OrtRunner.open(onnx, 1, OptLevel.NO_OPT)) {
            ort = runner.evaluate(test, QDQ_IMAGES, OrtRunner.DEFAULT_BATCH);
        }
        long t1 = System.nanoTime();
        AccuracyResult simulated = AccuracyEvaluator.evaluate(
                new Fp32Interpreter(q.simulated()), test, QDQ_IMAGES, 2, ProgressListener.NONE);
        AccuracyResult integer = AccuracyEvaluator.evaluate(
                new IntegerInterpreter(q.realized()), test, QDQ_IMAGES, 2, ProgressListener.NONE);
        LOG.info("ORT {} s, simulated and integer {} s", (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
        double withSimulated = agreement(ort.predictions(), simulated.predictions());
        double withInteger = agreement(ort.predictions(), integer.predictions());
        String what = String.format(
                "%s %s on %d images: ORT NO_OPT top-1 %.4f, simulated %.4f, integer %.4f; "
                        + "ORT agrees with simulated on %.4f, with integer on %.4f",
                model, config, QDQ_IMAGES, ort.top1(), simulated.top1(), integer.top1(), withSimulated, withInteger);
        LOG.info(what);
        assertTrue(withSimulated >= 0.995, what);
    }

    @Test
    void fp32AccuracyEqualsTheInterpreters() {
        Path file = Path.of("..", "models", "resnet8_fashion.onnx");
        Dataset test = Datasets.load("fashion-mnist", "test");
        AccuracyResult ort;
        try (OrtRunner runner = OrtRunner.open(file, 1, OptLevel.ALL_OPT)) {
            ort = runner.evaluate(test, IMAGES, OrtRunner.DEFAULT_BATCH);
        }
        Graph fp32 = PassPipeline.prerequisites().run(OnnxImporter.load(file));
        AccuracyResult ours =
                AccuracyEvaluator.evaluate(new Fp32Interpreter(fp32), test, IMAGES, 2, ProgressListener.NONE);
        String what = "ORT fp32 top-1 " + ort.top1() + ", qtune fp32 " + ours.top1() + ", agreement "
                + agreement(ort.predictions(), ours.predictions());
        LOG.info(what);
        assertEquals(IMAGES, ort.samples());
        assertTrue(Math.abs(ort.top1() - ours.top1()) <= 0.002 + 1e-9, what);
    }

    @Test
    void latencyIsMeasuredAtBatchOne() {
        try (OrtRunner runner = OrtRunner.open(Path.of("..", "models", "lenet5_mnist.onnx"), 1, OptLevel.ALL_OPT)) {
            LatencyResult r = runner.latency(new float[28 * 28], 5, Duration.ofMillis(100));
            assertTrue(r.runs() >= 10, r.toString());
            assertTrue(r.p10Ms() > 0 && r.p10Ms() <= r.medianMs() && r.medianMs() <= r.p90Ms(), r.toString());
        }
    }

    @Test
    void errorsNameTheModel() {
        QtuneException missing =
                assertThrows(QtuneException.class, () -> OrtRunner.open(dir.resolve("nope.onnx"), 1, OptLevel.NO_OPT));
        assertTrue(missing.getMessage().contains("nope.onnx"), missing.getMessage());
        try (OrtRunner runner = OrtRunner.open(Path.of("..", "models", "mlp_mnist.onnx"), 1, OptLevel.NO_OPT)) {
            QtuneException e = assertThrows(QtuneException.class, () -> runner.run(new float[10], 1));
            assertTrue(
                    e.getMessage().contains("mlp_mnist.onnx") && e.getMessage().contains("784"), e.getMessage());
        }
    }

    /** The fraction of equal predictions. */
    static double agreement(int[] a, int[] b) {
        assertEquals(a.length, b.length);
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        return (double) same / a.length;
    }

    @Test
    void percentilesAreNearestRank() {
        LatencyResult r = LatencyResult.of(new double[] {5, 1, 4, 2, 3, 6, 7, 8, 9, 10});
        assertEquals(5, r.medianMs());
        assertEquals(1, r.p10Ms());
        assertEquals(9, r.p90Ms());
        assertEquals(10, r.runs());
    }
}

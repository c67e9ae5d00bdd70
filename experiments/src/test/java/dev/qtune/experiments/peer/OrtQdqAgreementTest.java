package dev.qtune.experiments.peer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.qtune.compiler.interp.IntegerInterpreter;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.onnx.QdqExporter;
import dev.qtune.compiler.onnx.QdqImporter;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.compiler.quant.QuantizedModel;
import dev.qtune.evaluator.accuracy.AccuracyEvaluator;
import dev.qtune.evaluator.accuracy.AccuracyResult;
import dev.qtune.evaluator.accuracy.ProgressListener;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.evaluator.quant.QuantEvaluation;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A QDQ file run by qtune (imported, integer interpreter) and by ONNX Runtime 1.28 with graph
 * optimisation off (NO_OPT: QuantizeLinear / DequantizeLinear as exact fake quantization in fp32):
 * predictions agree on at least 99.5% of the 10,000 test images, for every shared model and example
 * quant config. Logged beside it: ORT's optimised (ALL_OPT, fused int8 kernels) top-1 on this host.
 * Run: {@code mvn -B verify -Pall -pl experiments -am -Dtest=OrtQdqAgreementTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("slow")
class OrtQdqAgreementTest {
    /** The shared models x example quant configs (one file for the tests that cover them all). */
    static final String CASES = "../experiments/qconfigs/example-cases.csv";

    private static final Logger LOG = LoggerFactory.getLogger(OrtQdqAgreementTest.class);

    @TempDir
    static Path dir;

    @ParameterizedTest(name = "{0} {2}")
    @CsvFileSource(files = CASES)
    void qtuneAndOrtNoOptAgreeOnTheQdqFile(String model, String data, String config) {
        Path file = Path.of("..", "models", model + ".onnx");
        Graph fp32 = PassPipeline.prerequisites().run(OnnxImporter.load(file));
        QuantConfig c = QuantConfigReader.read(Path.of("..", "experiments", "qconfigs", config + ".yaml"));
        QuantizedModel q = QuantEvaluation.quantize(
                        file, fp32, c, Datasets.load(data, "calibration"), 2, dir.resolve("cache"))
                .model();
        Path onnx = dir.resolve(model + "_" + config + ".qdq.onnx");
        QdqExporter.write(q, onnx);
        Dataset test = Datasets.load(data, "test");
        AccuracyResult qtune = AccuracyEvaluator.evaluate(
                new IntegerInterpreter(QdqImporter.load(onnx).realized()), test, 0, 2, ProgressListener.NONE);
        AccuracyResult noOpt = ort(onnx, OptLevel.NO_OPT, test);
        AccuracyResult allOpt = ort(onnx, OptLevel.ALL_OPT, test);
        int same = 0;
        for (int i = 0; i < test.count(); i++) {
            same += qtune.predictions()[i] == noOpt.predictions()[i] ? 1 : 0;
        }
        double agreement = same / (double) test.count();
        LOG.warn(String.format(
                Locale.ROOT,
                "| %s | %s | %.2f%% | %.2f%% | %.2f%% | %.2f%% |",
                model,
                config,
                100 * agreement,
                100 * qtune.top1(),
                100 * noOpt.top1(),
                100 * allOpt.top1()));
        assertTrue(
                agreement >= 0.995, model + " " + config + ": predictions agree on " + agreement + " of the test set");
    }

    private static AccuracyResult ort(Path onnx, OptLevel level, Dataset test) {
        try (OrtRunner runner = OrtRunner.open(onnx, 1, level)) {
            return runner.evaluate(test, 0, OrtRunner.DEFAULT_BATCH);
        }
    }
}

package dev.qtune.experiments.peer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
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
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.evaluator.quant.QuantEvaluation;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * resnet8_fashion on all 10,000 test images, qtune against ONNX Runtime: fp32 and the QDQ export of
 * int8_max, with ORT's graph as written (NO_OPT) and with its QDQ fusions (ALL_OPT). On AVX2 hosts
 * without VNNI, ORT's fused u8s8 kernels sum pairs of products in saturating int16
 * (vpmaddubsw), so ALL_OPT can lose accuracy that NO_OPT keeps; 7-bit weights avoid the saturation
 * (255 * 63 * 2 < 2^15). The numbers are logged; only loose bounds are asserted.
 */
@Tag("slow")
class OrtFullTestSetTest {
    private static final Logger LOG = LoggerFactory.getLogger(OrtFullTestSetTest.class);
    private static final Path MODEL = Path.of("..", "models", "resnet8_fashion.onnx");

    @TempDir
    static Path dir;

    @Test
    void resnet8Int8MaxOnTheFullTestSet() {
        Graph fp32 = PassPipeline.prerequisites().run(OnnxImporter.load(MODEL));
        Dataset test = Datasets.load("fashion-mnist", "test");
        AccuracyResult qtuneFp32 =
                AccuracyEvaluator.evaluate(new Fp32Interpreter(fp32), test, 0, 2, ProgressListener.NONE);
        AccuracyResult ortFp32 = ort(MODEL, OptLevel.ALL_OPT, test);
        LOG.info("fp32: qtune {} ORT ALL_OPT {}", qtuneFp32.top1(), ortFp32.top1());
        QuantConfig int8 = QuantConfigReader.read(Path.of("..", "experiments", "qconfigs", "int8_max.yaml"));
        QuantConfig w7 = QuantConfigReader.parse(
                "defaults:\n  weight_bits: 7\n  activation_calibration: max\n", "w7a8_max.yaml");
        for (QuantConfig c : new QuantConfig[] {int8, w7}) {
            QuantizedModel q = QuantEvaluation.quantize(
                            MODEL, fp32, c, Datasets.load("fashion-mnist", "calibration"), 2, dir.resolve("cache"))
                    .model();
            Path onnx = dir.resolve("resnet8_qdq.onnx");
            QdqExporter.write(q, onnx);
            AccuracyResult integer =
                    AccuracyEvaluator.evaluate(new IntegerInterpreter(q.realized()), test, 0, 2, ProgressListener.NONE);
            AccuracyResult noOpt = ort(onnx, OptLevel.NO_OPT, test);
            AccuracyResult allOpt = ort(onnx, OptLevel.ALL_OPT, test);
            LOG.info(
                    "{}: qtune integer {}, ORT NO_OPT {}, ORT ALL_OPT {} (fp32 {})",
                    c.source(),
                    integer.top1(),
                    noOpt.top1(),
                    allOpt.top1(),
                    qtuneFp32.top1());
            assertTrue(
                    Math.abs(noOpt.top1() - integer.top1()) <= 0.003,
                    c.source() + ": ORT NO_OPT " + noOpt.top1() + " vs qtune integer " + integer.top1());
        }
        assertTrue(Math.abs(ortFp32.top1() - qtuneFp32.top1()) <= 0.002);
    }

    private static AccuracyResult ort(Path onnx, OptLevel level, Dataset test) {
        try (OrtRunner runner = OrtRunner.open(onnx, 1, level)) {
            return runner.evaluate(test, 0, OrtRunner.DEFAULT_BATCH);
        }
    }
}

package dev.qtune.evaluator.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qtune.compiler.interp.IntegerInterpreter;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.QdqExporter;
import dev.qtune.compiler.onnx.QdqImporter;
import dev.qtune.compiler.quant.PreQuantizedModel;
import dev.qtune.compiler.quant.QuantizedModel;
import dev.qtune.evaluator.SharedTestCache;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `qtune export` then QDQ import gives back the integer graph: for every shared model and every
 * example quant config (experiments/qconfigs, mixed_fp32_ends_mlp for the MLP), the imported
 * graph's outputs are bit for bit those of the realized graph, on the first 512 test images (128
 * for resnet8; all 10,000 in the slow variant). Calibration uses the first {@value #CALIBRATION} calibration images:
 * what is compared does not depend on calibration quality.
 */
class QdqRoundTripTest {
    /** The shared models x example quant configs (one file for the tests that cover them all). */
    static final String CASES = "../experiments/qconfigs/example-cases.csv";

    static final int CALIBRATION = 250;
    /**
     * resnet8's two interpreters take ~6 s per config on 512 images: 128 in the default run (every
     * layer and config still compared bit for bit), all 10,000 with -Pall.
     */
    static final int RESNET8_IMAGES = 128;

    private static final int BATCH = 64;
    private static final Logger LOG = LoggerFactory.getLogger(QdqRoundTripTest.class);

    static final Path cache = SharedTestCache.dir();

    @ParameterizedTest(name = "{0} {2}")
    @CsvFileSource(files = CASES)
    void importedGraphComputesTheSameOnTestImages(String model, String data, String config) {
        assertRoundTrip(model, data, config, model.startsWith("resnet8") ? RESNET8_IMAGES : 512);
    }

    @Tag("slow")
    @ParameterizedTest(name = "{0} {2}, all test images")
    @CsvFileSource(files = CASES)
    void importedGraphComputesTheSameOnTheWholeTestSet(String model, String data, String config) {
        assertRoundTrip(model, data, config, 10_000);
    }

    private static void assertRoundTrip(String model, String data, String config, int images) {
        QuantizedModel q = ExampleQuantizations.quantize(model, data, config, CALIBRATION, cache);
        PreQuantizedModel imported =
                QdqImporter.parse(QdqExporter.toProto(q).toByteArray(), model + "_" + config + ".onnx");
        IntegerInterpreter original = new IntegerInterpreter(q.realized());
        IntegerInterpreter roundTrip = new IntegerInterpreter(imported.realized());
        Dataset test = Datasets.load(data, "test");
        int n = Math.min(images, test.count());
        int correct = 0;
        for (int start = 0; start < n; start += BATCH) {
            int b = Math.min(BATCH, n - start);
            float[] x = test.batch(start, b);
            Tensor expected = original.run(x, b);
            Tensor actual = roundTrip.run(x, b);
            String where = model + " " + config + ", images " + start + ".." + (start + b - 1);
            assertArrayEquals(bits(expected.floats()), bits(actual.floats()), where + ": outputs, bit for bit");
            int classes = expected.numel() / b;
            for (int i = 0; i < b; i++) {
                int predicted = argmax(actual.floats(), i * classes, classes);
                assertEquals(argmax(expected.floats(), i * classes, classes), predicted, where + ": prediction");
                correct += predicted == test.label(start + i) ? 1 : 0;
            }
        }
        LOG.info(
                "{} {}: export -> import identical on {} test images, top-1 {}",
                model,
                config,
                n,
                (double) correct / n);
    }

    private static int[] bits(float[] f) {
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    private static int argmax(float[] v, int offset, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[offset + i] > v[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}

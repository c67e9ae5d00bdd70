package dev.qtune.evaluator.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.pass.InferTypesPass;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The interpreter reproduces PyTorch's logits recorded in models/*.expected.json (within 1e-4) on
 * the same test images, both as imported and after the prerequisite passes (BN folded).
 */
class ExpectedOutputsTest {
    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @EnumSource(ReferenceModels.class)
    void logitsMatchAsImportedAndAfterPrerequisitePasses(ReferenceModels model) throws IOException {
        JsonNode expected = new ObjectMapper().readTree(model.expectedJson().toFile());
        Dataset test = Datasets.load(model.dataset, "test");
        JsonNode indices = expected.get("indices");
        int n = indices.size();
        float[] input = new float[n * 784];
        for (int i = 0; i < n; i++) {
            float[] one = test.batch(indices.get(i).asInt(), 1);
            System.arraycopy(one, 0, input, i * 784, 784);
            double sum = 0;
            for (float v : one) {
                sum += v;
            }
            assertEquals(expected.get("input_sum").get(i).asDouble(), sum, 1e-3, "input sum of image " + i);
        }
        Tensor asImported = new Fp32Interpreter(InferTypesPass.infer(model.imported())).run(input, n);
        Tensor prepared = model.prepared().run(input, n);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 10; c++) {
                double want = expected.get("logits").get(i).get(c).asDouble();
                assertEquals(want, asImported.floats()[i * 10 + c], TOLERANCE, model + " image " + i + " class " + c);
                assertEquals(
                        want, prepared.floats()[i * 10 + c], TOLERANCE, model + " (passes) image " + i + " class " + c);
            }
        }
    }
}

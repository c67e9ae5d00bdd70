package dev.qtune.evaluator.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qtune.evaluator.data.Datasets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On all 10,000 test images, the interpreter's top-1 equals the fp32 accuracy that
 * models/README.md reports for each model (resnet8_fashion takes ~20 s on two cores).
 */
class ReferenceAccuracyTest {
    @ParameterizedTest
    @EnumSource(
            value = ReferenceModels.class,
            names = {"MLP_MNIST", "LENET5_MNIST"})
    void fullTestSetTop1EqualsPublishedAccuracy(ReferenceModels model) {
        check(model);
    }

    /**
     * resnet8_fashion's 10,000 images take ~25 s: with -Pall. By default its interpreter is checked
     * against PyTorch's logits (ExpectedOutputsTest) and its fp32 top-1 on 2,000 images against the
     * quantized models' (QuantizedAccuracyTest).
     */
    @Tag("slow")
    @ParameterizedTest
    @EnumSource(value = ReferenceModels.class, names = "RESNET8_FASHION")
    void fullTestSetTop1EqualsPublishedAccuracyResnet8(ReferenceModels model) {
        check(model);
    }

    private static void check(ReferenceModels model) {
        AccuracyResult r = AccuracyEvaluator.evaluate(
                model.prepared(),
                Datasets.load(model.dataset, "test"),
                0,
                Runtime.getRuntime().availableProcessors(),
                ProgressListener.NONE);
        assertEquals(10_000, r.samples());
        assertEquals(model.top1, r.top1(), 1e-9, model + ": " + r.correct() + " correct");
    }
}

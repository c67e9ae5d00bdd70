package dev.qtune.evaluator.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qtune.evaluator.data.Datasets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On all 10,000 test images, the interpreter's top-1 equals the fp32 accuracy that
 * models/README.md reports for each model (resnet8_fashion takes ~20 s on two cores).
 */
class ReferenceAccuracyTest {
    @ParameterizedTest
    @EnumSource(ReferenceModels.class)
    void fullTestSetTop1EqualsPublishedAccuracy(ReferenceModels model) {
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

package dev.qtune.evaluator.accuracy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.onnx.OnnxWriter;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ONNX writer on real data: each reference model imported, written and imported again gives
 * bit-identical fp32 interpreter outputs on the first 300 test images.
 */
class OnnxRoundTripTest {
    private static final int IMAGES = 300;

    @ParameterizedTest
    @EnumSource(ReferenceModels.class)
    void writtenModelComputesTheSameLogits(ReferenceModels model) {
        Graph original = model.imported();
        Graph written = OnnxImporter.parse(OnnxWriter.toBytes(original), "written " + model.file);
        assertEquals(original.nodes(), written.nodes());
        Dataset test = Datasets.load(model.dataset, "test");
        float[] images = test.batch(0, IMAGES);
        float[] expected = model.prepared().run(images, IMAGES).floats();
        float[] actual = new Fp32Interpreter(PassPipeline.prerequisites().run(written))
                .run(images, IMAGES)
                .floats();
        assertEquals(IMAGES * 10, actual.length);
        assertArrayEquals(expected, actual, model.file + ": logits of the written model");
    }
}

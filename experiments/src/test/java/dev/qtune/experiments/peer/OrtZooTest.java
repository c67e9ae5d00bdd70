package dev.qtune.experiments.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.onnx.OnnxWriter;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.zoo.ModelZoo;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The benchmark zoo as ONNX Runtime reads it: ORT's fp32 logits equal qtune's interpreter's on a random image. */
class OrtZooTest {
    private static final Logger LOG = LoggerFactory.getLogger(OrtZooTest.class);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ModelZoo.class)
    void ortComputesWhatTheInterpreterComputes(ModelZoo m) {
        Graph g = m.build(ModelZoo.DEFAULT_SEED);
        Path file = dir.resolve(m.fileName());
        OnnxWriter.write(g, file);
        SplittableRandom random = new SplittableRandom(3);
        float[] x = new float[3 * 224 * 224];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        float[] ours = new Fp32Interpreter(PassPipeline.prerequisites().run(g))
                .run(x, 1)
                .floats();
        float[] ort;
        try (OrtRunner runner = OrtRunner.open(file, 1, OptLevel.ALL_OPT)) {
            ort = runner.run(x, 1);
        }
        assertEquals(1000, ort.length);
        double max = 0;
        double diff = 0;
        for (int i = 0; i < ort.length; i++) {
            max = Math.max(max, Math.abs(ort[i]));
            diff = Math.max(diff, Math.abs(ort[i] - ours[i]));
        }
        LOG.info("{}: max |ORT - qtune| = {} for logits up to {}", m, diff, max);
        assertTrue(max > 0 && diff <= 1e-3 * max, m + ": logits differ by " + diff + " (largest " + max + ")");
    }
}

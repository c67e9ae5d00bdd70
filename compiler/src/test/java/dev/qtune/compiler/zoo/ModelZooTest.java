package dev.qtune.compiler.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.analysis.ModelSummary;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.interp.IntegerInterpreter;
import dev.qtune.compiler.ir.BatchNormNode;
import dev.qtune.compiler.ir.ClipNode;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.TensorType;
import dev.qtune.compiler.ir.ValueInfo;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.onnx.OnnxWriter;
import dev.qtune.compiler.pass.FoldConstantsPass;
import dev.qtune.compiler.pass.InferTypesPass;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.BatchSource;
import dev.qtune.compiler.quant.CalibrationStats;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.compiler.quant.QuantizedModel;
import dev.qtune.compiler.quant.StatsCollector;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The benchmark zoo: the graphs have torchvision's parameter and MAC counts, survive ONNX write and
 * import unchanged, pass the prerequisite passes with every BatchNorm folded, and quantize with
 * int8_max.yaml (depthwise convolutions and Clip included).
 */
class ModelZooTest {
    private static final int PIXELS = 3 * 224 * 224;
    private static final Map<ModelZoo, Graph> BUILT = new ConcurrentHashMap<>();

    static Graph built(ModelZoo m) {
        return BUILT.computeIfAbsent(m, z -> z.build(ModelZoo.DEFAULT_SEED));
    }

    @Test
    void resnet18HasTorchvisionsCounts() {
        ModelSummary s = ModelSummary.of(inspected(built(ModelZoo.RESNET18)));
        assertEquals(11_689_512, s.params());
        assertEquals(1_814_073_344L, s.macs(), "1.81 GMAC");
    }

    @Test
    void mobilenetv2HasTorchvisionsCounts() {
        ModelSummary s = ModelSummary.of(inspected(built(ModelZoo.MOBILENETV2)));
        assertEquals(3_504_872, s.params());
        assertEquals(300_774_272L, s.macs(), "0.30 GMAC");
    }

    @ParameterizedTest
    @EnumSource(ModelZoo.class)
    void writtenModelImportsBackUnchanged(ModelZoo m) {
        Graph g = built(m);
        Graph back = InferTypesPass.infer(OnnxImporter.parse(OnnxWriter.toBytes(g), m.fileName()));
        assertEquals(g.nodes(), back.nodes());
        assertEquals(g.initializers(), back.initializers());
        assertEquals(g.outputs(), back.outputs());
        assertEquals(
                List.of(new ValueInfo("input", new TensorType(DType.F32, Shape.of(-1, 3, 224, 224)))), back.inputs());
        assertEquals("f32[?x1000]", back.outputs().get(0).type().toString());
    }

    @Test
    void theSeedDecidesTheWeights() {
        Graph again = ModelZoo.MOBILENETV2.build(ModelZoo.DEFAULT_SEED);
        assertEquals(built(ModelZoo.MOBILENETV2).initializers(), again.initializers());
        Graph other = ModelZoo.MOBILENETV2.build(7);
        String w = "features.0.0.weight";
        assertFalse(Arrays.equals(
                again.initializers().get(w).floats(),
                other.initializers().get(w).floats()));
    }

    @ParameterizedTest
    @EnumSource(ModelZoo.class)
    void prerequisitesFoldEveryBatchNorm(ModelZoo m) {
        Graph g = PassPipeline.prerequisites().run(built(m));
        assertTrue(g.nodes().stream().noneMatch(n -> n instanceof BatchNormNode), "BatchNorm left in " + m);
        assertTrue(
                g.nodes().stream()
                        .filter(n -> n instanceof Conv2dNode)
                        .allMatch(n -> n.inputs().size() == 3),
                "every conv got the folded bias");
        float[] logits = new Fp32Interpreter(g)
                .run(Fixtures.uniform(5, PIXELS, -1f, 1f), 1)
                .floats();
        assertEquals(1000, logits.length);
        for (float v : logits) {
            assertTrue(Float.isFinite(v), m + " gives a non-finite logit");
        }
    }

    @ParameterizedTest
    @EnumSource(ModelZoo.class)
    void quantizesWithInt8Max(ModelZoo m) {
        Graph fp32 = PassPipeline.prerequisites().run(built(m));
        int samples = 2;
        float[] images = Fixtures.uniform(11, samples * PIXELS, -1f, 1f);
        BatchSource source = (start, n) -> Arrays.copyOfRange(images, start * PIXELS, (start + n) * PIXELS);
        CalibrationStats stats = new CalibrationStats(
                m.name(), "uniform-11", samples, StatsCollector.collect(new Fp32Interpreter(fp32), samples, source, 2));
        QuantizedModel q = QuantizedModel.of(
                fp32, QuantConfigReader.read(Path.of("..", "experiments", "qconfigs", "int8_max.yaml")), stats);
        long convs = fp32.nodes().stream().filter(n -> n instanceof Conv2dNode).count();
        List<QConv2dNode> qconvs = q.realized().nodes().stream()
                .filter(n -> n instanceof QConv2dNode)
                .map(QConv2dNode.class::cast)
                .toList();
        assertEquals(convs, qconvs.size(), "every conv realized as an integer conv");
        if (m == ModelZoo.RESNET18) {
            return; // running it costs seconds and exercises nothing that resnet8_fashion does not
        }
        assertEquals(17, qconvs.stream().filter(c -> c.group() > 1).count(), "depthwise convs");
        assertEquals(
                35, fp32.nodes().stream().filter(n -> n instanceof ClipNode).count());
        assertEquals(
                List.of(),
                q.realized().nodes().stream()
                        .filter(n -> n instanceof ClipNode)
                        .map(n -> n.name())
                        .toList(),
                "every ReLU6 fused into its producer's output range");
        float[] x = Arrays.copyOf(images, PIXELS);
        float[] fp = new Fp32Interpreter(fp32).run(x, 1).floats();
        float[] simulated = new Fp32Interpreter(q.simulated()).run(x, 1).floats();
        float[] integer = new IntegerInterpreter(q.realized()).run(x, 1).floats();
        // Random weights amplify the documented differences (Add rounds each input): compare directions.
        assertTrue(
                cosine(simulated, integer) > 0.98, m + ": integer vs simulated cosine " + cosine(simulated, integer));
        assertTrue(cosine(fp, integer) > 0.98, m + ": integer vs fp32 cosine " + cosine(fp, integer));
    }

    private static double cosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    private static Graph inspected(Graph g) {
        return new PassPipeline(List.of(new InferTypesPass(), new FoldConstantsPass())).run(g);
    }

    @Test
    void inputIsImageNetShaped() {
        assertArrayEquals(
                new int[] {-1, 3, 224, 224},
                built(ModelZoo.RESNET18).inputs().get(0).type().shape().dims());
    }
}

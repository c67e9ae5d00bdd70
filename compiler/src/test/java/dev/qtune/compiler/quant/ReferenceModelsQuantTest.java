package dev.qtune.compiler.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.interp.IntegerInterpreter;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.pass.PassPipeline;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * mlp_mnist and lenet5_mnist quantized end to end, calibrated on 200 seeded random images in
 * [0, 1] (this module has no dataset reader; accuracy on real data is the evaluator's test): the
 * realized integer graph predicts the class the simulated graph predicts, its layers are int8,
 * and its weights are stored as int8.
 */
class ReferenceModelsQuantTest {
    private static final int SAMPLES = 200;
    private static final int PIXELS = 28 * 28;
    private static final Map<String, Graph> PREPARED = new ConcurrentHashMap<>();
    private static final Map<String, CalibrationStats> STATS = new ConcurrentHashMap<>();

    private static QuantConfig config(String name) {
        return name.equals("default")
                ? QuantConfig.defaultConfig()
                : QuantConfigReader.parse(
                        "defaults:\n  weight_scale: power2\n  granularity: per_tensor\n  activation_calibration: power2\n",
                        "power2_per_tensor.yaml");
    }

    private static Graph prepared(String model) {
        return PREPARED.computeIfAbsent(
                model, m -> PassPipeline.prerequisites().run(OnnxImporter.load(Path.of("..", "models", m))));
    }

    /** One set of statistics per model, reused by every config (as the evaluator's cache does). */
    private static CalibrationStats stats(String model) {
        return STATS.computeIfAbsent(model, m -> {
            float[] images = Fixtures.uniform(2024, SAMPLES * PIXELS, 0f, 1f);
            BatchSource source = (start, n) -> Arrays.copyOfRange(images, start * PIXELS, (start + n) * PIXELS);
            return new CalibrationStats(
                    m,
                    "uniform-2024",
                    SAMPLES,
                    StatsCollector.collect(new Fp32Interpreter(prepared(m)), SAMPLES, source, 2));
        });
    }

    private static int[] argmax(Tensor logits) {
        int rows = logits.shape().dim(0);
        int classes = logits.shape().dim(1);
        int[] best = new int[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 1; c < classes; c++) {
                if (logits.floats()[r * classes + c] > logits.floats()[r * classes + best[r]]) {
                    best[r] = c;
                }
            }
        }
        return best;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "mlp_mnist.onnx, default",
        "mlp_mnist.onnx, power2",
        "lenet5_mnist.onnx, default",
        "lenet5_mnist.onnx, power2"
    })
    void realizedPredictsAsSimulatedWithInt8Layers(String model, String configName) {
        QuantizedModel m = QuantizedModel.of(prepared(model), config(configName), stats(model));
        Graph r = m.realized();

        float[] images = Fixtures.uniform(7, SAMPLES * PIXELS, 0f, 1f);
        int[] simulated = argmax(new Fp32Interpreter(m.simulated()).run(images, SAMPLES));
        int[] realized = argmax(new IntegerInterpreter(r).run(images, SAMPLES));
        int agree = 0;
        for (int i = 0; i < SAMPLES; i++) {
            agree += simulated[i] == realized[i] ? 1 : 0;
        }
        assertTrue(
                agree >= 0.99 * SAMPLES,
                model + " " + configName + ": realized and simulated agree on " + agree + " of " + SAMPLES);
        assertTrue(Arrays.stream(realized).distinct().count() > 1, "every random image gets the same class");

        List<Node> layers = r.nodes().stream()
                .filter(n -> n instanceof QConv2dNode || n instanceof QDenseNode)
                .toList();
        long fp32Layers = m.fp32().nodes().stream()
                .filter(n -> n instanceof Conv2dNode || n instanceof GemmNode)
                .count();
        assertEquals(fp32Layers, layers.size(), "every Conv and Gemm is integer");
        for (Node n : layers) {
            Requantize rq = n instanceof QConv2dNode c ? c.requantize() : ((QDenseNode) n).requantize();
            assertTrue(Set.of(DType.I8, DType.U8).contains(rq.dtype()), n.name() + " outputs " + rq.dtype());
            assertEquals(rq.dtype(), r.type(n.outputs().get(0)).dtype(), n.name());
            assertTrue(
                    Set.of(DType.I8, DType.U8)
                            .contains(r.type(n.inputs().get(0)).dtype()),
                    n.name() + " input");
            assertEquals(DType.I8, r.constant(n.inputs().get(1)).orElseThrow().dtype(), n.name() + " weights");
            if (n.inputs().size() > 2) {
                assertEquals(
                        DType.I32, r.constant(n.inputs().get(2)).orElseThrow().dtype(), n.name() + " bias");
            }
        }
        assertFalse(
                r.nodes().stream().anyMatch(n -> n instanceof Conv2dNode || n instanceof GemmNode),
                "an fp32 layer is left");
        assertEquals(r.outputNames(), m.fp32().outputNames());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"mlp_mnist.onnx", "lenet5_mnist.onnx"})
    void realizedWeightsAreInt8AndAQuarterOfTheSize(String model) {
        Graph fp32 = prepared(model);
        Graph r = QuantizedModel.of(fp32, QuantConfig.defaultConfig(), stats(model))
                .realized();
        long fp32Bytes = bytes(fp32);
        long weights = 0;
        long biases = 0;
        long other = 0;
        for (Node n : fp32.nodes()) {
            if (n instanceof Conv2dNode || n instanceof GemmNode) {
                weights += fp32.constant(n.inputs().get(1)).orElseThrow().numel();
                biases += n.inputs().size() > 2
                        ? fp32.constant(n.inputs().get(2)).orElseThrow().numel()
                        : 0;
            }
        }
        for (Map.Entry<String, Tensor> e : r.initializers().entrySet()) {
            if (e.getValue().dtype() == DType.F32) {
                other += e.getValue().numel() * 4L;
            }
        }
        long i8 = r.initializers().values().stream()
                .filter(t -> t.dtype() == DType.I8)
                .mapToLong(Tensor::numel)
                .sum();
        assertEquals(weights, i8, "every weight is stored once, as i8");
        // Weights 1 byte, biases (int32) 4 bytes, plus the fp32 constants of fp32 ops (the input normalisation).
        assertEquals(weights + 4 * biases + other, bytes(r));
        assertTrue(other <= 64, model + " keeps " + other + " bytes of fp32 constants");
        assertTrue(bytes(r) < 0.26 * fp32Bytes, model + ": realized " + bytes(r) + " bytes vs fp32 " + fp32Bytes);
    }

    private static long bytes(Graph g) {
        return g.initializers().values().stream()
                .mapToLong(t -> (long) t.numel() * t.dtype().bits() / 8)
                .sum();
    }
}

package dev.qtune.compiler.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.ir.QuantRole;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.AttributeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorProto;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.BatchSource;
import dev.qtune.compiler.quant.CalibrationStats;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.compiler.quant.QuantizedModel;
import dev.qtune.compiler.quant.StatsCollector;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * QDQ export of quantized reference models (calibrated on seeded random images; accuracy against
 * ONNX Runtime is the experiments module's test): the ONNX structure, weights and biases equal to
 * the realized graph's integers, and the pass-through points that change no value.
 */
class QdqExporterTest {
    private static final int PIXELS = 28 * 28;
    private static final QuantConfig INT8_MAX =
            QuantConfigReader.parse("defaults:\n  activation_calibration: max\n", "int8_max.yaml");
    private static final Map<String, QuantizedModel> CACHE = new HashMap<>();

    @TempDir
    Path dir;

    /** Quantized under {@code config}, calibrated on 100 seeded random images in [0, 1). */
    static QuantizedModel quantize(Graph fp32, QuantConfig config) {
        int samples = 100;
        float[] images = Fixtures.uniform(2024, samples * PIXELS, 0f, 1f);
        BatchSource source = (start, n) -> Arrays.copyOfRange(images, start * PIXELS, (start + n) * PIXELS);
        CalibrationStats stats = new CalibrationStats(
                fp32.name(),
                "uniform-2024",
                samples,
                StatsCollector.collect(new Fp32Interpreter(fp32), samples, source, 2));
        return QuantizedModel.of(fp32, config, stats);
    }

    private static synchronized QuantizedModel model(String file) {
        return CACHE.computeIfAbsent(
                file, f -> quantize(PassPipeline.prerequisites().run(Fixtures.load(f)), INT8_MAX));
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.LENET, Fixtures.RESNET})
    void activationPointsBecomeQuantizeDequantizePairs(String file) {
        QuantizedModel q = model(file);
        Graph g = QdqExporter.qdqGraph(q);
        GraphProto proto = QdqExporter.toProto(q).getGraph();
        Map<String, TensorProto> inits = initializers(proto);
        long points = g.nodes().stream()
                .filter(n -> n instanceof SimQuantizeNode s
                        && (s.spec().role() == QuantRole.ACTIVATION || s.spec().role() == QuantRole.INHERIT))
                .count();
        List<NodeProto> quantize = ops(proto, "QuantizeLinear");
        assertEquals(points, quantize.size());
        for (NodeProto ql : quantize) {
            NodeProto dql = readers(proto, ql.getOutput(0)).get(0);
            assertEquals("DequantizeLinear", dql.getOpType());
            assertEquals(ql.getInput(1), dql.getInput(1), "same scale");
            assertEquals(ql.getInput(2), dql.getInput(2), "same zero point");
            TensorProto zp = inits.get(ql.getInput(2));
            assertTrue(zp.getDataType() == OnnxTensors.UINT8 || zp.getDataType() == OnnxTensors.INT8);
            assertEquals(0, zp.getDimsCount(), "scalar zero point");
            assertEquals(0, OnnxTensors.toTensor(zp, "zp").ints()[0]);
            assertEquals(0, inits.get(ql.getInput(1)).getDimsCount(), "scalar scale");
        }
        assertTrue(
                proto.getInitializerList().stream()
                        .noneMatch(t -> t.getDataType() == OnnxTensors.FLOAT
                                && t.getDimsList().stream()
                                                .mapToLong(Long::longValue)
                                                .reduce(1, (a, b) -> a * b)
                                        > 512),
                "no fp32 weights left");
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.LENET, Fixtures.RESNET})
    void weightsAndBiasesAreTheRealizedIntegers(String file) {
        QuantizedModel q = model(file);
        GraphProto proto = QdqExporter.toProto(q).getGraph();
        Map<String, TensorProto> inits = initializers(proto);
        int layers = 0;
        for (Node n : q.realized().nodes()) {
            if (!(n instanceof QConv2dNode) && !(n instanceof QDenseNode)) {
                continue;
            }
            layers++;
            Node layer = q.simulated().node(n.name());
            NodeProto onnx = proto.getNodeList().stream()
                    .filter(p -> p.getName().equals(n.name()))
                    .findFirst()
                    .orElseThrow();
            NodeProto wdq = producer(proto, onnx.getInput(1));
            Tensor w = OnnxTensors.toTensor(inits.get(wdq.getInput(0)), "weight");
            Tensor realizedW = q.realized().initializers().get(n.inputs().get(1));
            boolean transposed = layer instanceof GemmNode gemm && !gemm.transB();
            assertArrayEquals(realizedW.ints(), transposed ? transpose(w) : w.ints(), n.name() + " weights");
            assertEquals(OnnxTensors.INT8, inits.get(wdq.getInput(0)).getDataType());
            assertEquals(Optional.of(0L), axis(wdq), n.name() + " per-channel weights on the output axis");
            NodeProto bdq = producer(proto, onnx.getInput(2));
            assertEquals(OnnxTensors.INT32, inits.get(bdq.getInput(0)).getDataType());
            assertArrayEquals(
                    q.realized().initializers().get(n.inputs().get(2)).ints(),
                    OnnxTensors.toTensor(inits.get(bdq.getInput(0)), "bias").ints(),
                    n.name() + " bias");
        }
        assertTrue(layers >= 5, "quantized layers: " + layers);
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.LENET, Fixtures.RESNET})
    void passThroughPointsChangeNoValue(String file) {
        QuantizedModel q = model(file);
        Graph qdq = QdqExporter.qdqGraph(q);
        assertTrue(qdq.nodes().size() > q.simulated().nodes().size(), "points were added");
        if (file.equals(Fixtures.LENET)) {
            for (Node pool :
                    qdq.nodes().stream().filter(n -> n instanceof MaxPool2dNode).toList()) {
                assertTrue(qdq.consumers(pool.output()).get(0) instanceof SimQuantizeNode, pool.name());
            }
        }
        float[] x = Fixtures.uniform(77, 20 * PIXELS, 0f, 1f);
        assertArrayEquals(
                new Fp32Interpreter(q.simulated()).run(x, 20).floats(),
                new Fp32Interpreter(qdq).run(x, 20).floats());
    }

    @Test
    void writesTheFileAndCounts() {
        QdqExportResult r = QdqExporter.write(model(Fixtures.LENET), dir.resolve("out/lenet_int8.onnx"));
        assertTrue(r.bytes() > 61_706 && r.bytes() < 2 * 61_706 + 20_000, "int8 weights: " + r.bytes());
        assertEquals(5, r.weights());
        assertEquals(5, r.biases());
        assertTrue(r.narrowActivations().isEmpty());
    }

    @Test
    void narrowActivationsAreNamed() {
        QuantConfig a4 =
                QuantConfigReader.parse("defaults:\n  activation_calibration: max\n  activation_bits: 4\n", "a4.yaml");
        QuantizedModel q = quantize(PassPipeline.prerequisites().run(Fixtures.load(Fixtures.LENET)), a4);
        List<String> narrow = QdqExporter.narrowActivations(QdqExporter.qdqGraph(q));
        assertTrue(!narrow.isEmpty() && narrow.stream().allMatch(s -> s.contains("(4 bits, [")), narrow.toString());
        assertTrue(narrow.stream().anyMatch(s -> s.contains("[0, 15]")), narrow.toString());
    }

    @Test
    void sixteenBitActivationsAreRefused() {
        QuantConfig a16 = QuantConfigReader.parse(
                "defaults:\n  activation_calibration: max\n  activation_bits: 16\n", "a16.yaml");
        QuantizedModel q = quantize(PassPipeline.prerequisites().run(Fixtures.load(Fixtures.MLP)), a16);
        OnnxExportException e = assertThrows(OnnxExportException.class, () -> QdqExporter.toProto(q));
        assertTrue(e.getMessage().contains("i16") && e.getMessage().contains("2 to 8 bits"), e.getMessage());
        assertTrue(e.getMessage().contains("SimQuantize node '"), e.getMessage());
    }

    private static Map<String, TensorProto> initializers(GraphProto g) {
        Map<String, TensorProto> m = new HashMap<>();
        g.getInitializerList().forEach(t -> m.put(t.getName(), t));
        return m;
    }

    private static List<NodeProto> ops(GraphProto g, String op) {
        return g.getNodeList().stream().filter(n -> n.getOpType().equals(op)).toList();
    }

    private static List<NodeProto> readers(GraphProto g, String value) {
        return g.getNodeList().stream()
                .filter(n -> n.getInputList().contains(value))
                .toList();
    }

    private static NodeProto producer(GraphProto g, String value) {
        return g.getNodeList().stream()
                .filter(n -> n.getOutputList().contains(value))
                .findFirst()
                .orElseThrow();
    }

    private static Optional<Long> axis(NodeProto n) {
        return n.getAttributeList().stream()
                .filter(a -> a.getName().equals("axis"))
                .map(AttributeProto::getI)
                .findFirst();
    }

    /** A [K, N] integer matrix as [N, K]. */
    static int[] transpose(Tensor t) {
        int k = t.shape().dim(0);
        int n = t.shape().dim(1);
        int[] out = new int[t.numel()];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < n; j++) {
                out[j * k + i] = t.ints()[i * n + j];
            }
        }
        return out;
    }

    @Test
    void modelIsOnnxOpset13() {
        ModelProto m = QdqExporter.toProto(model(Fixtures.LENET));
        assertEquals(13, m.getOpsetImport(0).getVersion());
    }
}

package dev.qtune.compiler.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.interp.IntegerInterpreter;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QuantRole;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorProto;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.PreQuantizedModel;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.compiler.quant.QuantizedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Import of QDQ models: qtune's own exports of the reference models (calibrated on seeded random
 * images) give back the same integer graph, op for op and bit for bit on random images; malformed
 * or unsupported files fail with one line naming the file and node. The round trip on real test
 * images and every example config is the evaluator's QdqRoundTripTest.
 */
class QdqImporterTest {
    private static final int PIXELS = 28 * 28;
    static final String INT8_MAX = "defaults:\n  activation_calibration: max\n";
    static final String POWER2_PER_TENSOR =
            "defaults:\n  weight_scale: power2\n  granularity: per_tensor\n" + "  activation_calibration: power2\n";
    private static final String W4_FP32_ENDS = "allow_fp32_islands: true\ndefaults:\n  weight_bits: 4\n"
            + "  activation_calibration: max\nlayers:\n  - match: \"re:/(conv1?|fc1)/.*\"\n    skip: true\n";

    @TempDir
    Path dir;

    static QuantizedModel quantized(String file, String config) {
        QuantConfig c = QuantConfigReader.parse(config, "test.yaml");
        return QdqExporterTest.quantize(PassPipeline.prerequisites().run(Fixtures.load(file)), c);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "mlp_mnist.onnx, int8_max",
        "lenet5_mnist.onnx, int8_max",
        "resnet8_fashion.onnx, int8_max",
        "lenet5_mnist.onnx, power2_per_tensor",
        "resnet8_fashion.onnx, power2_per_tensor",
        "lenet5_mnist.onnx, w4_fp32_ends",
        "mlp_mnist.onnx, w4_fp32_ends"
    })
    void exportThenImportGivesTheSameIntegerGraph(String file, String config) {
        QuantizedModel q = quantized(
                file,
                switch (config) {
                    case "int8_max" -> INT8_MAX;
                    case "power2_per_tensor" -> POWER2_PER_TENSOR;
                    default -> W4_FP32_ENDS;
                });
        PreQuantizedModel imported = QdqImporter.parse(QdqExporter.toProto(q).toByteArray(), file + ".qdq");
        assertEquals(
                q.realized().nodes().stream().map(Node::opType).toList(),
                imported.realized().nodes().stream().map(Node::opType).toList(),
                "the integer ops");
        float[] x = Fixtures.uniform(99, 16 * PIXELS, -0.2f, 1.2f);
        Tensor expected = new IntegerInterpreter(q.realized()).run(x, 16);
        Tensor actual = new IntegerInterpreter(imported.realized()).run(x, 16);
        assertArrayEquals(expected.floats(), actual.floats(), "outputs, bit for bit");
    }

    @Test
    void pointsKeepTheFileScalesAndRoles() {
        QuantizedModel q = quantized(Fixtures.LENET, INT8_MAX);
        PreQuantizedModel imported = QdqImporter.parse(QdqExporter.toProto(q).toByteArray(), "lenet.qdq");
        List<SimQuantizeNode> points = imported.simulated().nodes().stream()
                .filter(n -> n instanceof SimQuantizeNode)
                .map(SimQuantizeNode.class::cast)
                .toList();
        assertEquals(
                5,
                points.stream().filter(p -> p.spec().role() == QuantRole.WEIGHT).count());
        assertEquals(
                5,
                points.stream().filter(p -> p.spec().role() == QuantRole.BIAS).count());
        assertTrue(points.stream().anyMatch(p -> p.spec().role() == QuantRole.INHERIT), "points after the pools");
        for (SimQuantizeNode p : points) {
            SimQuantizeNode original = (SimQuantizeNode) QdqExporter.qdqGraph(q).nodes().stream()
                    .filter(n -> n instanceof SimQuantizeNode s && s.output().equals(p.output()))
                    .findFirst()
                    .orElseThrow();
            assertEquals(original.spec().scales(), p.spec().scales(), p.name());
            assertEquals(original.spec().range(), p.spec().range(), p.name());
        }
    }

    @Test
    void loadsAFileAndTellsPreQuantizedModelsApart() throws Exception {
        Path file = dir.resolve("lenet_qdq.onnx");
        QdqExporter.write(quantized(Fixtures.LENET, INT8_MAX), file);
        assertTrue(QdqImporter.isPreQuantized(file));
        assertFalse(QdqImporter.isPreQuantized(Fixtures.model(Fixtures.LENET)));
        assertTrue(QdqImporter.load(file).realized().nodes().size() > 5);
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.load(file));
        assertTrue(e.getMessage().contains("QdqImporter"), e.getMessage());
        Files.writeString(dir.resolve("x.onnx"), "not onnx");
        assertThrows(OnnxImportException.class, () -> QdqImporter.load(dir.resolve("x.onnx")));
    }

    @Test
    void quantizedOperatorsAreRefused() {
        String m = error(g -> rename(g, "Conv", "QLinearMul"));
        assertTrue(m.contains("unsupported quantized op 'QLinearMul' (node '/conv1/Conv')"), m);
        assertTrue(m.contains("and the quantized operators ConvInteger, MatMulInteger, QGemm, QLinearAdd"), m);
    }

    @Test
    void malformedAxisIsRefused() {
        String m = error(g -> withNode(
                g,
                weightDequantize(g),
                n -> n.toBuilder().setAttribute(0, OnnxAttrs.i("axis", 4)).build()));
        assertTrue(
                m.contains("DequantizeLinear node '"
                        + weightDequantize(exported().getGraph()).getName() + "'"),
                m);
        assertTrue(m.contains("attribute 'axis' must be in [-4, 3] for a tensor of rank 4, but was 4"), m);
        String wrongAxis = error(g -> withNode(
                g,
                weightDequantize(g),
                n -> n.toBuilder().setAttribute(0, OnnxAttrs.i("axis", 1)).build()));
        assertTrue(wrongAxis.contains("scales along axis 1, but '"), wrongAxis);
    }

    @Test
    void zeroPointShapeMustMatchTheScale() {
        String m = error(g -> withInitializer(
                g,
                weightDequantize(g).getInput(2),
                t -> t.toBuilder()
                        .clearDims()
                        .addDims(1)
                        .clearRawData()
                        .clearInt32Data()
                        .addInt32Data(0)
                        .build()));
        assertTrue(m.contains("must have the shape of scale"), m);
    }

    @ParameterizedTest
    @CsvSource({"0.0", "-0.5", "NaN", "Infinity"})
    void scalesMustBePositiveAndFinite(float scale) {
        String m = error(g -> withInitializer(
                g,
                activationQuantize(g).getInput(1),
                t -> t.toBuilder()
                        .clearRawData()
                        .clearFloatData()
                        .addFloatData(scale)
                        .build()));
        assertTrue(m.contains("must be positive and finite, but element 0 is " + scale), m);
    }

    @Test
    void aQuantizeWithoutItsDequantizeIsRefused() {
        GraphProto g = exported().getGraph();
        NodeProto q = activationQuantize(g);
        String m = error(gp ->
                withNode(gp, q, n -> n.toBuilder().setOutput(0, "dangling").build()));
        assertTrue(m.contains("its output 'dangling' must be read by exactly one DequantizeLinear"), m);
    }

    @Test
    void biasScaleMustBeInputTimesWeightScale() {
        String m = error(g -> {
            NodeProto conv = g.getNodeList().stream()
                    .filter(n -> n.getOpType().equals("Conv"))
                    .findFirst()
                    .orElseThrow();
            NodeProto bias = g.getNodeList().stream()
                    .filter(n -> n.getOutput(0).equals(conv.getInput(2)))
                    .findFirst()
                    .orElseThrow();
            return withInitializer(g, bias.getInput(1), t -> {
                Tensor s = OnnxTensors.toTensor(t, "scale");
                float[] f = s.floats().clone();
                f[0] *= 2;
                return OnnxTensors.toProto(t.getName(), Tensor.ofFloats(s.shape(), f));
            });
        });
        assertTrue(
                m.contains(
                        "layer '/conv1/Conv': the bias scale of output channel 0 must be input scale x weight scale"),
                m);
    }

    @Test
    void aPlainFloatBiasIsQuantizedAtTheAccumulatorScale() {
        ModelProto m = exported();
        float[] x = Fixtures.uniform(5, 8 * PIXELS, -0.2f, 1.2f);
        Tensor original = new IntegerInterpreter(
                        QdqImporter.parse(m.toByteArray(), "lenet.qdq").realized())
                .run(x, 8);
        Tensor same = new IntegerInterpreter(
                        QdqImporter.parse(withFloatBias(m, 0f).toByteArray(), "float-bias.onnx")
                                .realized())
                .run(x, 8);
        assertArrayEquals(original.floats(), same.floats(), "the dequantized bias as floats gives back its integers");
        Tensor shifted = new IntegerInterpreter(
                        QdqImporter.parse(withFloatBias(m, 100f).toByteArray(), "float-bias.onnx")
                                .realized())
                .run(x, 8);
        assertFalse(Arrays.equals(original.floats(), shifted.floats()), "the float bias is not dropped");
    }

    /** conv1's bias DequantizeLinear replaced by an fp32 initializer of its values plus {@code add}. */
    private static ModelProto withFloatBias(ModelProto m, float add) {
        GraphProto g = m.getGraph();
        NodeProto conv = g.getNodeList().stream()
                .filter(n -> n.getOpType().equals("Conv"))
                .findFirst()
                .orElseThrow();
        NodeProto dq = g.getNodeList().stream()
                .filter(n -> n.getOutput(0).equals(conv.getInput(2)))
                .findFirst()
                .orElseThrow();
        Tensor q = OnnxTensors.toTensor(
                g.getInitializerList().stream()
                        .filter(t -> t.getName().equals(dq.getInput(0)))
                        .findFirst()
                        .orElseThrow(),
                "bias");
        Tensor s = OnnxTensors.toTensor(
                g.getInitializerList().stream()
                        .filter(t -> t.getName().equals(dq.getInput(1)))
                        .findFirst()
                        .orElseThrow(),
                "scale");
        float[] values = new float[q.numel()];
        for (int i = 0; i < values.length; i++) {
            values[i] = q.ints()[i] * s.floats()[s.numel() == 1 ? 0 : i] + add;
        }
        GraphProto.Builder b = g.toBuilder();
        b.removeNode(g.getNodeList().indexOf(dq));
        b.addInitializer(OnnxTensors.toProto(conv.getInput(2), Tensor.ofFloats(q.shape(), values)));
        return m.toBuilder().setGraph(b.build()).build();
    }

    private static ModelProto exported() {
        return QdqExporter.toProto(quantized(Fixtures.LENET, INT8_MAX));
    }

    /** The message of importing the exported LeNet after {@code edit}; it must name the file. */
    private static String error(UnaryOperator<GraphProto> edit) {
        ModelProto m = exported();
        byte[] bytes = m.toBuilder().setGraph(edit.apply(m.getGraph())).build().toByteArray();
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> QdqImporter.parse(bytes, "bad.onnx"));
        assertTrue(e.getMessage().startsWith("bad.onnx: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private static NodeProto weightDequantize(GraphProto g) {
        NodeProto conv = g.getNodeList().stream()
                .filter(n -> n.getOpType().equals("Conv"))
                .findFirst()
                .orElseThrow();
        return g.getNodeList().stream()
                .filter(n -> n.getOutput(0).equals(conv.getInput(1)))
                .findFirst()
                .orElseThrow();
    }

    private static NodeProto activationQuantize(GraphProto g) {
        return g.getNodeList().stream()
                .filter(n -> n.getOpType().equals("QuantizeLinear"))
                .findFirst()
                .orElseThrow();
    }

    private static GraphProto rename(GraphProto g, String op, String newOp) {
        GraphProto.Builder b = g.toBuilder();
        for (int i = 0; i < b.getNodeCount(); i++) {
            if (b.getNode(i).getOpType().equals(op)) {
                b.setNode(i, b.getNode(i).toBuilder().setOpType(newOp));
                break;
            }
        }
        return b.build();
    }

    private static GraphProto withNode(GraphProto g, NodeProto node, UnaryOperator<NodeProto> edit) {
        GraphProto.Builder b = g.toBuilder();
        b.setNode(g.getNodeList().indexOf(node), edit.apply(node));
        return b.build();
    }

    private static GraphProto withInitializer(GraphProto g, String name, UnaryOperator<TensorProto> edit) {
        GraphProto.Builder b = g.toBuilder();
        for (int i = 0; i < b.getInitializerCount(); i++) {
            if (b.getInitializer(i).getName().equals(name)) {
                b.setInitializer(i, edit.apply(b.getInitializer(i)));
            }
        }
        return b.build();
    }
}

package dev.qtune.compiler.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.interp.IntegerInterpreter;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.quant.PreQuantizedModel;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Import of models with quantized operators: qtune's QDQ export of a reference model, rewritten
 * into ONNX Runtime's QOperator form ({@link QOperatorFiles}), imports as the same integer graph as
 * the QDQ file, op for op and bit for bit on real test images (256; resnet8 on 128, 256 with -Pall).
 */
class QLinearImportTest {
    private static final int IMAGES = 256;
    /**
     * resnet8's two interpreters on 256 images were most of this class's time; the comparison is bit
     * for bit per image, so 128 show it by default (256 with -Pall, qtune.test.cases=full).
     */
    private static final int RESNET8_IMAGES = "full".equals(System.getProperty("qtune.test.cases")) ? 256 : 128;

    private static final int BATCH = 64;

    /** The QLinear form of each model (also the MLP without its Gemm biases, for QLinearMatMul, which has none). */
    @ParameterizedTest(name = "{0} {2}")
    @CsvSource({
        "lenet5_mnist.onnx, mnist, int8_max, QLinearConv MaxPool Flatten QGemm, Conv Gemm",
        "lenet5_mnist.onnx, mnist, power2_per_tensor, QLinearConv MaxPool Flatten QGemm, Conv Gemm",
        "resnet8_fashion.onnx, fashion-mnist, int8_max, QLinearConv QLinearAdd QLinearGlobalAveragePool QGemm, Conv Add",
        "resnet8_fashion.onnx, fashion-mnist, power2_per_tensor, QLinearConv QLinearAdd QGemm, Add Gemm",
        "mlp_mnist.onnx, mnist, int8_max, QGemm, Gemm",
        "mlp_mnist_without_biases, mnist, int8_max, QLinearMatMul, Gemm",
        "mlp_mnist_without_biases, mnist, power2_per_tensor, QLinearMatMul, Gemm"
    })
    void qlinearModelImportsAsItsQdqTwin(String file, String dataset, String config, String present, String absent) {
        boolean withoutBiases = file.endsWith("_without_biases");
        String model = withoutBiases ? Fixtures.MLP : file;
        ModelProto qdq = QdqExporter.toProto(QdqImporterTest.quantized(model, config(config)));
        if (withoutBiases) {
            qdq = QOperatorFiles.withoutGemmBiases(qdq);
        }
        ModelProto qop = QOperatorFiles.qlinear(qdq);
        Set<String> ops = opTypes(qop);
        assertTrue(ops.containsAll(List.of(present.split(" "))), ops.toString());
        assertTrue(List.of(absent.split(" ")).stream().noneMatch(ops::contains), ops.toString());
        assertSameIntegerGraph(qdq, qop, file, dataset);
    }

    /**
     * ConvInteger / MatMulInteger -> Cast -> Mul(s_x * s_w) -> Add(bias): the weight scale becomes
     * (s_x * s_w) / s_x, which float32 rounding may move off s_w in the last bits (and the bias
     * integers with it): the integer weights must be the same, and on these files the outputs agree
     * bit for bit too (such a scale difference changes a result only at a rounding tie).
     */
    @ParameterizedTest(name = "{0} {2}")
    @CsvSource({
        "lenet5_mnist.onnx, mnist, int8_max",
        "resnet8_fashion.onnx, fashion-mnist, int8_max",
        "mlp_mnist.onnx, mnist, int8_max",
        "resnet8_fashion.onnx, fashion-mnist, power2_per_tensor"
    })
    void integerOperatorModelImportsAsItsQdqTwin(String file, String dataset, String config) {
        ModelProto qdq = QdqExporter.toProto(QdqImporterTest.quantized(file, config(config)));
        ModelProto qop = QOperatorFiles.integerOps(qdq);
        Set<String> ops = opTypes(qop);
        assertTrue(
                ops.contains(file.startsWith("mlp") ? "MatMulInteger" : "ConvInteger") && !ops.contains("Conv"),
                ops.toString());
        PreQuantizedModel expected = QdqImporter.parse(qdq.toByteArray(), file + ".qdq");
        PreQuantizedModel actual = QdqImporter.parse(qop.toByteArray(), file + ".qop");
        List<Node> want = expected.realized().nodes();
        List<Node> got = actual.realized().nodes();
        assertEquals(
                want.stream().map(Node::opType).toList(),
                got.stream().map(Node::opType).toList(),
                "the integer ops");
        for (int i = 0; i < want.size(); i++) {
            if (want.get(i).opType().startsWith("Q")
                    && want.get(i).inputs().size() > 1
                    && !want.get(i).opType().equals("QAdd")) {
                assertEquals(
                        expected.realized()
                                .initializers()
                                .get(want.get(i).inputs().get(1)),
                        actual.realized().initializers().get(got.get(i).inputs().get(1)),
                        "weights of " + want.get(i).name());
            }
        }
        assertSameOutputs(expected, actual, file, dataset);
    }

    private static String config(String name) {
        return name.equals("int8_max") ? QdqImporterTest.INT8_MAX : QdqImporterTest.POWER2_PER_TENSOR;
    }

    private static Set<String> opTypes(ModelProto m) {
        return m.getGraph().getNodeList().stream().map(NodeProto::getOpType).collect(Collectors.toSet());
    }

    /** Both files import, the integer ops are the same, and so are the outputs on the first test images, bit for bit. */
    static void assertSameIntegerGraph(ModelProto qdq, ModelProto qop, String file, String dataset) {
        PreQuantizedModel expected = QdqImporter.parse(qdq.toByteArray(), file + ".qdq");
        PreQuantizedModel actual = QdqImporter.parse(qop.toByteArray(), file + ".qop");
        assertEquals(
                expected.realized().nodes().stream().map(Node::opType).toList(),
                actual.realized().nodes().stream().map(Node::opType).toList(),
                "the integer ops");
        assertSameOutputs(expected, actual, file, dataset);
    }

    private static void assertSameOutputs(
            PreQuantizedModel expected, PreQuantizedModel actual, String file, String dataset) {
        int count = file.startsWith("resnet8") ? RESNET8_IMAGES : IMAGES;
        float[] images = Fixtures.testImages(dataset, count);
        IntegerInterpreter e = new IntegerInterpreter(expected.realized());
        IntegerInterpreter a = new IntegerInterpreter(actual.realized());
        int pixels = images.length / count;
        for (int start = 0; start < count; start += BATCH) {
            float[] x = Arrays.copyOfRange(images, start * pixels, (start + BATCH) * pixels);
            Tensor want = e.run(x, BATCH);
            Tensor got = a.run(x, BATCH);
            assertArrayEquals(want.floats(), got.floats(), file + ": outputs of images " + start + ".., bit for bit");
        }
    }

    @Test
    void dynamicallyQuantizedInputIsRefused() {
        QOperatorNet net = new QOperatorNet()
                .input("x", -1, 2, 4, 4)
                .output("y")
                .ints("w", DType.I8, QOperatorNet.dims(4, 2, 1, 1), new int[8])
                .floats("ws", QOperatorNet.dims(), 0.1f)
                .node(OnnxModels.node("DynamicQuantizeLinear", "dynamic", List.of("x"), List.of("xq", "xs", "xz")))
                .node("ConvInteger", "conv", List.of("xq", "w", "xz"), "acc")
                .node("Cast", "cast", List.of("acc"), "accf", OnnxModels.intAttr("to", 1))
                .node("Mul", "product", List.of("xs", "ws"), "c")
                .node("Mul", "scale", List.of("accf", "c"), "y");
        assertEquals(
                "bad.onnx: ConvInteger node 'conv': input x 'xq' must be the integers of a QuantizeLinear with a "
                        + "constant scale or of another quantized operator (static quantization), but is the output of "
                        + "DynamicQuantizeLinear node 'dynamic': dynamically quantized models are not supported",
                error(net));
    }

    @Test
    void scalesAndWeightsMustBeConstants() {
        String scale = error(QLinearExpanderTest.convNet()
                .node("Identity", "copy", List.of("xs"), "xs_copy")
                .rewire("conv", 1, "xs_copy"));
        assertTrue(
                scale.startsWith("bad.onnx: QLinearConv node 'conv': x_scale 'xs_copy' must be a constant (an "
                        + "initializer), but is the output of Identity node 'copy'"),
                scale);
        String weight =
                error(QLinearExpanderTest.convNet().input("w_in", 4, 2, 3, 3).rewire("conv", 3, "w_in"));
        assertEquals(
                "bad.onnx: QLinearConv node 'conv': w 'w_in' must be a constant (an initializer), but is a graph "
                        + "input",
                weight);
        String mul = error(
                QLinearExpanderTest.convIntegerNet().input("c_in", 1, 4, 1, 1).rewire("scale", 0, "c_in"));
        assertEquals(
                "bad.onnx: Mul node 'scale': scale 'c_in' must be a constant (an initializer), but is a graph input",
                mul);
    }

    @Test
    void anOperatorMustReadItsInputAtTheScaleItWasQuantizedWith() {
        String m = error(QLinearExpanderTest.convNet().rewire("conv", 1, "ys"));
        assertEquals(
                "bad.onnx: QLinearConv node 'conv': x_scale 'ys' and x_zero_point 'xz' must equal the scale 'xs' "
                        + "and zero point 'xz' that QuantizeLinear node 'quantize' gave 'xq' (absent zero points are 0)",
                m);
        String zeroPoint = error(QLinearExpanderTest.convIntegerNet().rewire("conv", 2, "wz"));
        assertEquals(
                "bad.onnx: ConvInteger node 'conv': x_zero_point 'wz' must equal the zero point 'xz' that "
                        + "QuantizeLinear node 'quantize' gave 'xq' (absent zero points are 0)",
                zeroPoint);
        String graphInput =
                error(QLinearExpanderTest.convNet().input("raw", -1, 2, 4, 4).rewire("conv", 0, "raw"));
        assertTrue(
                graphInput.contains("QLinearConv node 'conv': input x 'raw' must be the integers of a QuantizeLinear")
                        && graphInput.endsWith("but is a graph input"),
                graphInput);
    }

    @Test
    void integerLayersOutsideTheStaticPatternAreRefused() {
        String relu = error(QLinearExpanderTest.convIntegerNet()
                .edit(
                        "cast",
                        n -> n.toBuilder().setOpType("Relu").clearAttribute().build()));
        assertEquals(
                "bad.onnx: ConvInteger node 'conv': its result must be read by exactly one Cast to FLOAT, that by "
                        + "one Mul by a constant scale (the static pattern qtune imports), but 'acc' is read by [Relu 'cast']",
                relu);
        String cast = error(QLinearExpanderTest.convIntegerNet()
                .edit(
                        "cast",
                        n -> n.toBuilder()
                                .setAttribute(0, OnnxModels.intAttr("to", 6))
                                .build()));
        assertEquals(
                "bad.onnx: Cast node 'cast': must cast the int32 result of ConvInteger node 'conv' to FLOAT (1), "
                        + "but casts to 6",
                cast);
    }

    @Test
    void malformedOperatorsAreRefused() {
        String inputs = error(QLinearExpanderTest.convNet()
                .edit(
                        "conv",
                        n -> n.toBuilder()
                                .clearInput()
                                .addAllInput(List.of("xq", "xs", "xz"))
                                .build()));
        assertEquals(
                "bad.onnx: QLinearConv node 'conv': must have the inputs x, x_scale, x_zero_point, w, w_scale, "
                        + "w_zero_point, y_scale, y_zero_point, B (optional), but has [xq, xs, xz]",
                inputs);
        String layout = error(new QOperatorNet()
                .input("x", -1, 2, 4, 4)
                .output("y")
                .floats("s", QOperatorNet.dims(), 0.1f)
                .node("QuantizeLinear", "q", List.of("x", "s"), "xq")
                .contrib(
                        "QLinearGlobalAveragePool",
                        "gap",
                        List.of("xq", "s", "", "s"),
                        "yq",
                        OnnxModels.intAttr("channels_last", 1))
                .node("DequantizeLinear", "dq", List.of("yq", "s"), "y"));
        assertEquals(
                "bad.onnx: QLinearGlobalAveragePool node 'gap': attribute 'channels_last' must be 0 (qtune reads "
                        + "NCHW tensors), but was 1",
                layout);
        String gemm = error(new QOperatorNet()
                .input("a", -1, 3)
                .output("y")
                .floats("s", QOperatorNet.dims(), 0.1f)
                .ints("b", DType.I8, QOperatorNet.dims(3, 2), new int[6])
                .ints("z", DType.I8, QOperatorNet.dims(), 0)
                .node("QuantizeLinear", "q", List.of("a", "s", "z"), "aq")
                .contrib("QGemm", "fc", List.of("aq", "s", "z", "b", "s", "z"), "y", OnnxModels.intAttr("transA", 1)));
        assertEquals(
                "bad.onnx: QGemm node 'fc': attributes transA and alpha must be 0 and 1 (qtune's dense layers), "
                        + "but are 1 and 1.0",
                gemm);
        String transpose = error(QLinearExpanderTest.convNet()
                .edit(
                        "pool",
                        n -> n.toBuilder()
                                .setOpType("Transpose")
                                .clearAttribute()
                                .build()));
        assertTrue(
                transpose.startsWith("bad.onnx: Transpose node 'pool': reads integer tensor 'yq' (the output of "
                        + "QLinearConv node 'conv'), but qtune reads the integers of a quantized model only through "
                        + "DequantizeLinear, the quantized operators ConvInteger, "),
                transpose);
    }

    /** The one-line message of importing {@code net}, which must name the file. */
    private static String error(QOperatorNet net) {
        byte[] bytes = net.model().toByteArray();
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> QdqImporter.parse(bytes, "bad.onnx"));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }
}

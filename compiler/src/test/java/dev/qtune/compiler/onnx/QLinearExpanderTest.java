package dev.qtune.compiler.onnx;

import static dev.qtune.compiler.onnx.QOperatorNet.dims;
import static dev.qtune.compiler.onnx.QOperatorNet.hasAttribute;
import static dev.qtune.compiler.onnx.QOperatorNet.initializer;
import static dev.qtune.compiler.onnx.QOperatorNet.intAttribute;
import static dev.qtune.compiler.onnx.QOperatorNet.producer;
import static dev.qtune.compiler.onnx.QOperatorNet.readers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.AttributeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.quant.IntRange;
import dev.qtune.compiler.quant.QuantMath;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The structure {@link QLinearExpander} gives a model with quantized operators: the QDQ form with
 * exactly the file's scales and zero points (non-zero ones included: the expander carries them,
 * the reader decides), one DequantizeLinear per integer tensor, and ConvInteger / MatMulInteger
 * read with weight scale c / s_x. Import of the result and the errors are in QLinearImportTest.
 */
class QLinearExpanderTest {
    private static final float X_SCALE = 0.02f;
    private static final float[] W_SCALES = {0.011f, 0.013f, 0.017f, 0.019f};
    private static final float Y_SCALE = 0.05f;

    /** x -> QuantizeLinear (uint8, zero point 3) -> QLinearConv (per channel, zero points) -> MaxPool -> Flatten -> QLinearMatMul -> DequantizeLinear. */
    static QOperatorNet convNet() {
        return new QOperatorNet()
                .input("x", -1, 2, 4, 4)
                .output("z", -1, 3)
                .floats("xs", dims(), X_SCALE)
                .ints("xz", DType.U8, dims(), 3)
                .ints("w", DType.I8, dims(4, 2, 3, 3), new int[72])
                .floats("ws", dims(4), W_SCALES)
                .ints("wz", DType.I8, dims(4), 1, -2, 0, 3)
                .floats("ys", dims(), Y_SCALE)
                .ints("yz", DType.U8, dims(), 5)
                .ints("B", DType.I32, dims(4), 100, -200, 300, -400)
                .ints("b", DType.I8, dims(16, 3), new int[48])
                .floats("bs", dims(3), 0.1f, 0.2f, 0.3f)
                .ints("bz", DType.I8, dims(3), 1, 0, 2)
                .floats("zs", dims(), 0.25f)
                .ints("zz", DType.U8, dims(), 7)
                .node("QuantizeLinear", "quantize", List.of("x", "xs", "xz"), "xq")
                .node(
                        "QLinearConv",
                        "conv",
                        List.of("xq", "xs", "xz", "w", "ws", "wz", "ys", "yz", "B"),
                        "yq",
                        OnnxModels.ints("kernel_shape", 3, 3),
                        OnnxModels.ints("pads", 1, 1, 1, 1))
                .node(
                        "MaxPool",
                        "pool",
                        List.of("yq"),
                        "pq",
                        OnnxModels.ints("kernel_shape", 2, 2),
                        OnnxModels.ints("strides", 2, 2))
                .node("Flatten", "flatten", List.of("pq"), "fq")
                .node("QLinearMatMul", "fc", List.of("fq", "ys", "yz", "b", "bs", "bz", "zs", "zz"), "zq")
                .node("DequantizeLinear", "output", List.of("zq", "zs", "zz"), "z");
    }

    @Test
    void quantizedOperatorsBecomeQdqWithTheFileParameters() {
        GraphProto g = convNet().expanded();
        assertEquals(
                List.of(
                        "QuantizeLinear",
                        "DequantizeLinear",
                        "DequantizeLinear",
                        "DequantizeLinear",
                        "Conv",
                        "QuantizeLinear",
                        "DequantizeLinear",
                        "MaxPool",
                        "QuantizeLinear",
                        "DequantizeLinear",
                        "Flatten",
                        "QuantizeLinear",
                        "DequantizeLinear",
                        "DequantizeLinear",
                        "MatMul",
                        "QuantizeLinear",
                        "DequantizeLinear"),
                g.getNodeList().stream().map(NodeProto::getOpType).toList());
        // Each integer tensor: written by one QuantizeLinear, read by one DequantizeLinear, both with its file
        // parameters.
        assertIntegerTensor(g, "xq", "xs", "xz");
        assertIntegerTensor(g, "yq", "ys", "yz");
        assertIntegerTensor(g, "pq", "ys", "yz");
        assertIntegerTensor(g, "fq", "ys", "yz");
        assertIntegerTensor(g, "zq", "zs", "zz");
        NodeProto conv = producer(g, producer(g, "yq").getInput(0));
        assertEquals("Conv", conv.getOpType());
        assertEquals("conv", conv.getName(), "the layer keeps the operator's name");
        assertEquals(
                List.of("kernel_shape", "pads"),
                conv.getAttributeList().stream().map(AttributeProto::getName).toList());
        NodeProto weight = producer(g, conv.getInput(1));
        assertEquals(List.of("w", "ws", "wz"), weight.getInputList());
        assertEquals(0, intAttribute(weight, "axis"), "per output channel");
        NodeProto bias = producer(g, conv.getInput(2));
        assertEquals("B", bias.getInput(0));
        assertEquals(2, bias.getInputCount(), "bias zero point 0 (absent)");
        float[] expected = new float[4];
        for (int o = 0; o < 4; o++) {
            expected[o] = X_SCALE * W_SCALES[o];
        }
        assertArrayEquals(
                expected, initializer(g, bias.getInput(1)).floats(), "bias scale x_scale * w_scale (float32)");
        NodeProto matMul = producer(g, producer(g, "zq").getInput(0));
        NodeProto b = producer(g, matMul.getInput(1));
        assertEquals(List.of("b", "bs", "bz"), b.getInputList());
        assertEquals(1, intAttribute(b, "axis"), "per column");
        assertEquals(producer(g, "fq").getOutput(0), "fq");
        assertEquals(readers(g, "fq").get(0).getOutput(0), matMul.getInput(0));
    }

    private static void assertIntegerTensor(GraphProto g, String integers, String scale, String zeroPoint) {
        NodeProto q = producer(g, integers);
        assertEquals("QuantizeLinear", q.getOpType(), integers);
        assertEquals(List.of(scale, zeroPoint), q.getInputList().subList(1, 3), integers);
        List<NodeProto> rs = readers(g, integers);
        assertEquals(1, rs.size(), "readers of " + integers);
        assertEquals("DequantizeLinear", rs.get(0).getOpType(), integers);
        assertEquals(List.of(integers, scale, zeroPoint), rs.get(0).getInputList(), integers);
    }

    @Test
    void everyIntegerTensorIsReadThroughOneDequantizeLinear() {
        GraphProto g = new QOperatorNet()
                .input("x", -1, 2, 4, 4)
                .output("y")
                .output("copy")
                .output("r")
                .floats("xs", dims(), X_SCALE)
                .ints("xz", DType.I8, dims(), 0)
                .floats("same_scale", dims(), X_SCALE)
                .ints("w", DType.I8, dims(4, 2, 1, 1), new int[8])
                .floats("ws", dims(), 0.5f)
                .ints("wz", DType.I8, dims(), 0)
                .floats("ys", dims(), Y_SCALE)
                .ints("yz", DType.I8, dims(), 0)
                .node("QuantizeLinear", "quantize", List.of("x", "xs", "xz"), "xq")
                .node("QLinearConv", "conv", List.of("xq", "xs", "xz", "w", "ws", "wz", "ys", "yz"), "yq")
                .node("DequantizeLinear", "dq_copy", List.of("xq", "same_scale", "xz"), "copy")
                .node("DequantizeLinear", "dq_relu", List.of("xq", "xs", "xz"), "for_relu")
                .node("Relu", "relu", List.of("for_relu"), "r")
                .node("DequantizeLinear", "dq_y", List.of("yq", "ys", "yz"), "y")
                .expanded();
        List<NodeProto> xReaders = readers(g, "xq");
        assertEquals(1, xReaders.size(), "one DequantizeLinear of xq: " + xReaders);
        String shared = xReaders.get(0).getOutput(0);
        NodeProto copy = producer(g, "copy");
        assertEquals("Identity", copy.getOpType(), "a merged DequantizeLinear that is a graph output");
        assertEquals(List.of(shared), copy.getInputList());
        assertEquals(List.of(shared), producer(g, "r").getInputList(), "the Relu reads the shared value");
        assertTrue(readers(g, "for_relu").isEmpty());
    }

    @Test
    void aGraphWithoutQuantizedOperatorsIsLeftAlone() {
        GraphProto g = new QOperatorNet()
                .input("x", -1, 3)
                .output("y")
                .floats("s", dims(), 0.1f)
                .node("QuantizeLinear", "q", List.of("x", "s"), "xq")
                .node("DequantizeLinear", "dq", List.of("xq", "s"), "y")
                .model()
                .getGraph();
        assertSame(g, QLinearExpander.expand(g, 13, "plain.onnx"));
    }

    /** x -> QuantizeLinear (zero point 3) -> ConvInteger (weight zero point 2) -> Cast -> Mul(c per channel) -> Add(bias). */
    static QOperatorNet convIntegerNet() {
        return new QOperatorNet()
                .input("x", -1, 2, 4, 4)
                .output("y", -1, 4, 4, 4)
                .floats("xs", dims(), X_SCALE)
                .ints("xz", DType.U8, dims(), 3)
                .ints("w", DType.I8, dims(4, 2, 1, 1), 1, 2, 3, 4, 5, 6, 7, 8)
                .ints("wz", DType.I8, dims(), 2)
                .floats("c", dims(1, 4, 1, 1), X_SCALE * 0.3f, X_SCALE * 0.1f, 0.0007f, X_SCALE * 0.013f)
                .floats("bias", dims(4, 1, 1), 0.5f, -0.25f, 1.5f, 0.001f)
                .node("QuantizeLinear", "quantize", List.of("x", "xs", "xz"), "xq")
                .node("ConvInteger", "conv", List.of("xq", "w", "xz", "wz"), "acc")
                .node("Cast", "cast", List.of("acc"), "accf", OnnxModels.intAttr("to", 1))
                .node("Mul", "scale", List.of("c", "accf"), "scaled")
                .node("Add", "bias_add", List.of("scaled", "bias"), "y");
    }

    @Test
    void convIntegerBecomesAConvWithWeightScaleCOverTheInputScale() {
        GraphProto g = convIntegerNet().expanded();
        assertEquals(
                List.of("QuantizeLinear", "DequantizeLinear", "DequantizeLinear", "DequantizeLinear", "Conv"),
                g.getNodeList().stream().map(NodeProto::getOpType).toList(),
                "Cast, Mul and Add are folded");
        NodeProto conv = producer(g, "y");
        assertEquals("conv", conv.getName());
        assertEquals(List.of("xq", "xs", "xz"), producer(g, conv.getInput(0)).getInputList());
        NodeProto weight = producer(g, conv.getInput(1));
        float[] c = {X_SCALE * 0.3f, X_SCALE * 0.1f, 0.0007f, X_SCALE * 0.013f};
        float[] ws = new float[4];
        float[] bs = new float[4];
        for (int o = 0; o < 4; o++) {
            ws[o] = c[o] / X_SCALE;
            bs[o] = X_SCALE * ws[o];
        }
        assertArrayEquals(ws, initializer(g, weight.getInput(1)).floats(), "c / s_x, float32");
        Tensor zp = initializer(g, weight.getInput(2));
        assertEquals(DType.I8, zp.dtype());
        assertArrayEquals(new int[] {2, 2, 2, 2}, zp.ints(), "the weight zero point, one per channel like the scale");
        assertEquals(0, intAttribute(weight, "axis"));
        NodeProto bias = producer(g, conv.getInput(2));
        assertArrayEquals(bs, initializer(g, bias.getInput(1)).floats(), "bias scale s_x * (c / s_x)");
        float[] b = {0.5f, -0.25f, 1.5f, 0.001f};
        IntRange int32 = new IntRange(Integer.MIN_VALUE + 1, Integer.MAX_VALUE);
        int[] q = new int[4];
        for (int o = 0; o < 4; o++) {
            q[o] = QuantMath.quantize(b[o], bs[o], int32);
        }
        assertArrayEquals(q, initializer(g, bias.getInput(0)).ints(), "bias rounded to the accumulator's grid");
    }

    @Test
    void matMulIntegerWithABiasBecomesGemmAndWithoutOneMatMul() {
        QOperatorNet net = new QOperatorNet()
                .input("a", -1, 3)
                .output("y", -1, 2)
                .output("y2", -1, 2)
                .floats("as", dims(), 0.1f)
                .ints("az", DType.I8, dims(), 0)
                .ints("b", DType.I8, dims(3, 2), 1, 2, 3, 4, 5, 6)
                .ints("bz", DType.I8, dims(2), 0, 0)
                .floats("c", dims(2), 0.01f, 0.02f)
                .floats("one_c", dims(), 0.03f)
                .floats("bias", dims(1, 2), 1f, 2f)
                .node("QuantizeLinear", "quantize", List.of("a", "as", "az"), "aq")
                .node("MatMulInteger", "fc", List.of("aq", "b", "az", "bz"), "acc")
                .node("Cast", "cast", List.of("acc"), "accf", OnnxModels.intAttr("to", 1))
                .node("Mul", "scale", List.of("accf", "c"), "scaled")
                .node("Add", "bias_add", List.of("bias", "scaled"), "y")
                .node("MatMulInteger", "fc2", List.of("aq", "b"), "acc2")
                .node("Cast", "cast2", List.of("acc2"), "accf2", OnnxModels.intAttr("to", 1))
                .node("Mul", "scale2", List.of("accf2", "one_c"), "y2");
        GraphProto g = net.expanded();
        NodeProto gemm = producer(g, "y");
        assertEquals("Gemm", gemm.getOpType());
        assertFalse(hasAttribute(gemm, "transB"), "the weight stays [K, N]");
        NodeProto weight = producer(g, gemm.getInput(1));
        assertEquals(1, intAttribute(weight, "axis"), "per column");
        assertEquals("bz", weight.getInput(2));
        assertEquals(3, gemm.getInputCount());
        NodeProto matMul = producer(g, "y2");
        assertEquals("MatMul", matMul.getOpType());
        NodeProto weight2 = producer(g, matMul.getInput(1));
        assertEquals(2, weight2.getInputCount(), "no zero point");
        assertFalse(hasAttribute(weight2, "axis"), "one scale");
        assertEquals(0.03f / 0.1f, initializer(g, weight2.getInput(1)).getFloat(0));
        assertEquals(1, readers(g, "aq").size(), "both layers share aq's DequantizeLinear");
    }

    @Test
    void contribOperatorsExpandToTheirFloatOps() {
        GraphProto g = new QOperatorNet()
                .input("a", -1, 2, 4, 4)
                .input("b", -1, 2, 4, 4)
                .output("z")
                .floats("s", dims(), 0.1f)
                .ints("zp", DType.U8, dims(), 4)
                .floats("t", dims(), 0.2f)
                .node("QuantizeLinear", "qa", List.of("a", "s", "zp"), "aq")
                .node("QuantizeLinear", "qb", List.of("b", "s", "zp"), "bq")
                .contrib("QLinearAdd", "add", List.of("aq", "s", "zp", "bq", "s", "zp", "t", "zp"), "sum")
                .contrib(
                        "QLinearConcat",
                        "cat",
                        List.of("t", "zp", "sum", "t", "zp", "aq", "s", "zp"),
                        "cat_q",
                        OnnxModels.intAttr("axis", 1))
                .contrib(
                        "QLinearAveragePool",
                        "avg",
                        List.of("cat_q", "t", "zp", "t", "zp"),
                        "avg_q",
                        OnnxModels.ints("kernel_shape", 2, 2),
                        OnnxModels.intAttr("channels_last", 0))
                .contrib(
                        "QLinearGlobalAveragePool",
                        "gap",
                        List.of("avg_q", "t", "zp", "s", "zp"),
                        "gq",
                        OnnxModels.intAttr("channels_last", 0))
                .node("DequantizeLinear", "out", List.of("gq", "s", "zp"), "z")
                .expanded();
        assertEquals("Add", producer(g, producer(g, "sum").getInput(0)).getOpType());
        NodeProto concat = producer(g, producer(g, "cat_q").getInput(0));
        assertEquals("Concat", concat.getOpType());
        assertEquals(1, intAttribute(concat, "axis"));
        NodeProto average = producer(g, producer(g, "avg_q").getInput(0));
        assertEquals("AveragePool", average.getOpType());
        assertEquals(
                List.of("kernel_shape"),
                average.getAttributeList().stream().map(AttributeProto::getName).toList());
        NodeProto pool = producer(g, producer(g, "gq").getInput(0));
        assertEquals("GlobalAveragePool", pool.getOpType());
        assertEquals(0, pool.getAttributeCount(), "channels_last dropped");
        assertTrue(g.getNodeList().stream().allMatch(n -> n.getDomain().isEmpty()), "default-domain ops only");
        for (String integers : List.of("aq", "bq", "sum", "cat_q", "avg_q", "gq")) {
            assertEquals(1, readers(g, integers).size(), integers);
        }
        assertEquals(List.of("sum", "t", "zp"), readers(g, "sum").get(0).getInputList());
    }

    @Test
    void qGemmBecomesGemmWithItsBiasAtTheProductScale() {
        GraphProto g = new QOperatorNet()
                .input("a", -1, 3)
                .output("y")
                .output("logits")
                .floats("as", dims(), 0.1f)
                .ints("az", DType.U8, dims(), 0)
                .ints("b", DType.I8, dims(2, 3), 1, 2, 3, 4, 5, 6)
                .floats("bs", dims(2), 0.5f, 0.25f)
                .ints("bz", DType.I8, dims(2), 0, 0)
                .ints("c", DType.I32, dims(2), 7, -7)
                .floats("ys", dims(), 0.3f)
                .ints("yz", DType.U8, dims(), 0)
                .node("QuantizeLinear", "quantize", List.of("a", "as", "az"), "aq")
                .contrib(
                        "QGemm",
                        "fc",
                        List.of("aq", "as", "az", "b", "bs", "bz", "c", "ys", "yz"),
                        "yq",
                        OnnxModels.intAttr("transB", 1))
                .node("DequantizeLinear", "dq", List.of("yq", "ys", "yz"), "y")
                .contrib(
                        "QGemm",
                        "head",
                        List.of("aq", "as", "az", "b", "bs", "bz"),
                        "logits",
                        OnnxModels.intAttr("transB", 1))
                .expanded();
        NodeProto gemm = producer(g, producer(g, "yq").getInput(0));
        assertEquals("Gemm", gemm.getOpType());
        assertEquals(1, intAttribute(gemm, "transB"));
        assertEquals(0, intAttribute(producer(g, gemm.getInput(1)), "axis"), "per output channel of [N, K]");
        NodeProto bias = producer(g, gemm.getInput(2));
        assertArrayEquals(
                new float[] {0.1f * 0.5f, 0.1f * 0.25f},
                initializer(g, bias.getInput(1)).floats());
        NodeProto head = producer(g, "logits");
        assertEquals("Gemm", head.getOpType(), "without y_scale the float result is the output");
        assertEquals(2, head.getInputCount());
    }
}

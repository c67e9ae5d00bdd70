package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The expansion rule of each quantized operator qtune imports (docs/formats.md, "Importing a QDQ
 * model"): the ONNX QLinearConv and QLinearMatMul, ONNX Runtime's com.microsoft QGemm, QLinearAdd,
 * QLinearAveragePool, QLinearGlobalAveragePool and QLinearConcat, each as DequantizeLinear of its
 * inputs -> the float op -> QuantizeLinear to its output, with the file's scales and zero points;
 * ConvInteger and MatMulInteger by {@link IntegerLayerRule}. Also the float ops that ONNX Runtime
 * runs on integers, which the expander wraps the same way with their input's parameters.
 */
final class QLinearRules {
    /** Ops that keep integers on their input's grid: DequantizeLinear -> op -> QuantizeLinear (same parameters) is exact. */
    static final Set<String> PASS_THROUGH = Set.of("MaxPool", "Flatten", "Reshape", "Identity", "Relu");

    private static final List<String> CONV =
            List.of("x", "x_scale", "x_zero_point", "w", "w_scale", "w_zero_point", "y_scale", "y_zero_point", "B?");
    private static final List<String> MATMUL =
            List.of("a", "a_scale", "a_zero_point", "b", "b_scale", "b_zero_point", "y_scale", "y_zero_point");
    private static final List<String> ADD =
            List.of("A", "A_scale", "A_zero_point?", "B", "B_scale", "B_zero_point?", "C_scale", "C_zero_point?");
    private static final List<String> GEMM =
            List.of("A", "a_scale", "a_zero_point", "B", "b_scale", "b_zero_point", "C?", "y_scale?", "y_zero_point?");
    private static final List<String> POOL = List.of("X", "x_scale", "x_zero_point?", "y_scale", "y_zero_point?");

    private static final Map<String, QLinearRule> RULES = Map.of(
            "QLinearConv", QLinearRules::conv,
            "QLinearMatMul", QLinearRules::matMul,
            "QGemm", QLinearRules::gemm,
            "QLinearAdd", QLinearRules::add,
            "QLinearAveragePool", (n, c, g) -> pool(n, c, g, "AveragePool"),
            "QLinearGlobalAveragePool", (n, c, g) -> pool(n, c, g, "GlobalAveragePool"),
            "QLinearConcat", QLinearRules::concat,
            "ConvInteger", (n, c, g) -> IntegerLayerRule.expand(n, c, g, true),
            "MatMulInteger", (n, c, g) -> IntegerLayerRule.expand(n, c, g, false));

    private QLinearRules() {}

    static Optional<QLinearRule> of(String opType) {
        return Optional.ofNullable(RULES.get(opType));
    }

    /** The quantized operators that have a rule. */
    static Set<String> ops() {
        return RULES.keySet();
    }

    /**
     * QLinearConv: Conv (attributes as in the file) of the dequantized input and weight (per output
     * channel along axis 0 when w_scale has several values); the int32 bias B dequantized at
     * x_scale * w_scale (the float32 product per channel) with zero point 0, as the ONNX spec says.
     */
    private static void conv(NodeProto n, ImportContext c, QLinearGraph g) {
        QLinearOperands in = QLinearOperands.of(n, c, g, CONV);
        String x = in.dequantized(0, 1, 2);
        Tensor weightScale = in.constant(4);
        int axis = weightScale.numel() > 1 ? 0 : -1;
        List<String> inputs = new ArrayList<>(List.of(x, in.dequantizedConstant(3, in.name(4), in.name(5), axis)));
        if (in.has(8)) {
            String biasScale = g.initializer(c.nodeName() + "/B/scale", product(in.scalar(1), weightScale));
            inputs.add(in.dequantizedConstant(8, biasScale, "", axis));
        }
        in.output("Conv", inputs, n.getAttributeList(), 6, 7);
    }

    /** QLinearMatMul with a constant b: MatMul of the dequantized a and b (per column, axis 1, when b_scale has several values). */
    private static void matMul(NodeProto n, ImportContext c, QLinearGraph g) {
        QLinearOperands in = QLinearOperands.of(n, c, g, MATMUL);
        String a = in.dequantized(0, 1, 2);
        int axis = in.constant(4).numel() > 1 ? 1 : -1;
        in.output("MatMul", List.of(a, in.dequantizedConstant(3, in.name(4), in.name(5), axis)), List.of(), 6, 7);
    }

    /**
     * QGemm (com.microsoft) with transA 0 and alpha 1, as qtune's dense layers: Gemm of the
     * dequantized A and constant B (per output channel when b_scale has several values: axis 0 with
     * transB, else 1), the int32 bias C dequantized at a_scale * b_scale; quantized to y_scale and
     * y_zero_point, or without y_scale a float output (which qtune then needs quantized, as for QDQ).
     */
    private static void gemm(NodeProto n, ImportContext c, QLinearGraph g) {
        QLinearOperands in = QLinearOperands.of(n, c, g, GEMM);
        long transA = c.attributes().getInt("transA", 0);
        float alpha = c.attributes().getFloat("alpha", 1f);
        if (transA != 0 || alpha != 1f) {
            throw c.error("attributes transA and alpha must be 0 and 1 (qtune's dense layers), but are " + transA
                    + " and " + alpha);
        }
        String a = in.dequantized(0, 1, 2);
        Tensor weightScale = in.constant(4);
        int axis = weightScale.numel() == 1 ? -1 : c.attributes().getInt("transB", 0) != 0 ? 0 : 1;
        List<String> inputs = new ArrayList<>(List.of(a, in.dequantizedConstant(3, in.name(4), in.name(5), axis)));
        if (in.has(6)) {
            String biasScale = g.initializer(c.nodeName() + "/C/scale", product(in.scalar(1), weightScale));
            inputs.add(in.dequantizedConstant(6, biasScale, "", weightScale.numel() == 1 ? -1 : 0));
        }
        if (in.has(7)) {
            in.output("Gemm", inputs, n.getAttributeList(), 7, 8);
        } else {
            g.emit("Gemm", c.nodeName(), inputs, List.of(c.singleOutput(n)), n.getAttributeList());
        }
    }

    /** QLinearAdd (com.microsoft): Add of the two dequantized inputs (activations or constants). */
    private static void add(NodeProto n, ImportContext c, QLinearGraph g) {
        QLinearOperands in = QLinearOperands.of(n, c, g, ADD);
        in.output("Add", List.of(in.operand(0, 1, 2), in.operand(3, 4, 5)), List.of(), 6, 7);
    }

    /** QLinearAveragePool, QLinearGlobalAveragePool (com.microsoft, NCHW only): the float pool, attributes kept. */
    private static void pool(NodeProto n, ImportContext c, QLinearGraph g, String floatOp) {
        QLinearOperands in = QLinearOperands.of(n, c, g, POOL);
        in.output(floatOp, List.of(in.dequantized(0, 1, 2)), in.attributesWithoutZero("channels_last"), 3, 4);
    }

    /** QLinearConcat (com.microsoft): Y_scale, Y_zero_point, then (X, X_scale, X_zero_point) per input. */
    private static void concat(NodeProto n, ImportContext c, QLinearGraph g) {
        List<String> labels = new ArrayList<>(List.of("Y_scale", "Y_zero_point"));
        for (int k = 1; labels.size() < Math.max(5, n.getInputCount()); k++) {
            labels.addAll(List.of("X" + k, "X" + k + "_scale", "X" + k + "_zero_point"));
        }
        QLinearOperands in = QLinearOperands.of(n, c, g, labels);
        List<String> inputs = new ArrayList<>();
        for (int i = 2; i < labels.size(); i += 3) {
            inputs.add(in.operand(i, i + 1, i + 2));
        }
        in.output("Concat", inputs, n.getAttributeList(), 0, 1);
    }

    /** The float32 products {@code x * s[i]}, in the shape of {@code s}. */
    static Tensor product(float x, Tensor s) {
        float[] out = new float[s.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = x * s.getFloat(i);
        }
        return Tensor.ofFloats(s.shape(), out);
    }
}

package dev.qtune.compiler.onnx;

import java.util.Set;

/**
 * The ONNX op types that make a model pre-quantized: the QDQ pair QuantizeLinear /
 * DequantizeLinear, which {@link QdqImporter} reads, the quantized operators that
 * {@link QLinearExpander} rewrites into that pair ({@link QLinearRules#ops()}), and the quantized
 * operators qtune does not import yet (dynamic quantization, ONNX Runtime's other contrib ops).
 */
final class QuantizedOps {
    static final String QUANTIZE = "QuantizeLinear";
    static final String DEQUANTIZE = "DequantizeLinear";

    private static final Set<String> UNSUPPORTED = Set.of(
            "QLinearMul",
            "QLinearLeakyRelu",
            "QLinearSigmoid",
            "QLinearSoftmax",
            "DynamicQuantizeLinear",
            "DynamicQuantizeMatMul",
            "MatMulIntegerToFloat");

    private QuantizedOps() {}

    /** Whether {@code opType} is a QDQ op or a quantized operator. */
    static boolean isQuantized(String opType) {
        return isQdq(opType) || QLinearRules.of(opType).isPresent() || UNSUPPORTED.contains(opType);
    }

    static boolean isQdq(String opType) {
        return opType.equals(QUANTIZE) || opType.equals(DEQUANTIZE);
    }

    /** Whether {@code opType} is a quantized operator that qtune cannot import yet. */
    static boolean isUnsupported(String opType) {
        return UNSUPPORTED.contains(opType);
    }
}

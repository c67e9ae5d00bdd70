package dev.qtune.compiler.onnx;

import dev.qtune.compiler.onnx.proto.OnnxSubset.AttributeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;

/**
 * Where a dequantized constant sits in the layer that reads it: the weight (input 1) or bias
 * (input 2) of a Conv, Gemm or MatMul, and the output-channel axis of that layer's stored weight
 * (0 for Conv and Gemm with transB, 1 for Gemm without and MatMul), as QuantizeAnnotate uses.
 */
final class QdqLayerSlots {
    static final int WEIGHT = 1;
    static final int BIAS = 2;

    private QdqLayerSlots() {}

    /** {@link #WEIGHT} or {@link #BIAS} when {@code value} is that input of the layer {@code reader}, else -1. */
    static int slot(NodeProto reader, String value) {
        int maxSlot = switch (reader.getOpType()) {
            case "Conv", "Gemm" -> BIAS;
            case "MatMul" -> WEIGHT;
            default -> -1;
        };
        for (int i = WEIGHT; i <= maxSlot && i < reader.getInputCount(); i++) {
            if (reader.getInput(i).equals(value) && !reader.getInput(0).equals(value)) {
                return i;
            }
        }
        return -1;
    }

    /** The output-channel axis of the weight of {@code layer}. */
    static int outputAxis(NodeProto layer) {
        return switch (layer.getOpType()) {
            case "Conv" -> 0;
            case "Gemm" -> transB(layer) ? 0 : 1;
            default -> 1;
        };
    }

    private static boolean transB(NodeProto gemm) {
        for (AttributeProto a : gemm.getAttributeList()) {
            if (a.getName().equals("transB")) {
                return a.getI() != 0;
            }
        }
        return false;
    }
}

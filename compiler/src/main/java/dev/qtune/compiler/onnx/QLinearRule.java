package dev.qtune.compiler.onnx;

import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;

/**
 * How {@link QLinearExpander} rewrites one quantized operator into the QDQ form that
 * {@link QdqGraphReader} reads: DequantizeLinear of its integer inputs, the float op, and
 * QuantizeLinear to its integer output, with exactly the file's scales and zero points.
 */
@FunctionalInterface
interface QLinearRule {
    /** Emits the expansion of {@code node} into {@code g}, or throws naming the node. */
    void expand(NodeProto node, ImportContext c, QLinearGraph g);
}

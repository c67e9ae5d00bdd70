package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;

/** Converts one ONNX node of a given op type to an IR node. */
@FunctionalInterface
interface OnnxNodeConverter {
    Node convert(NodeProto node, ImportContext ctx);
}

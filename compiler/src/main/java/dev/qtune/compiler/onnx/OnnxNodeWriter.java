package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.Node;

/** Writes one IR node as ONNX nodes (and the initializers they need) into a {@link WriteContext}. */
@FunctionalInterface
interface OnnxNodeWriter {
    void write(Node node, WriteContext context);
}

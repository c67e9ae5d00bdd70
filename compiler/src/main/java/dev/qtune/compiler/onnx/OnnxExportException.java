package dev.qtune.compiler.onnx;

import dev.qtune.compiler.QtuneException;

/** A graph that cannot be written as ONNX; the message names the graph, the node and why. */
public final class OnnxExportException extends QtuneException {
    public OnnxExportException(String message) {
        super(message);
    }
}

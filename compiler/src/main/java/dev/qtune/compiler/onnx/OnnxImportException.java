package dev.qtune.compiler.onnx;

import dev.qtune.compiler.QtuneException;

/** A model file that qtune cannot read: not ONNX, truncated, or using what qtune does not support. */
public class OnnxImportException extends QtuneException {
    public OnnxImportException(String message) {
        super(message);
    }

    public OnnxImportException(String message, Throwable cause) {
        super(message, cause);
    }
}

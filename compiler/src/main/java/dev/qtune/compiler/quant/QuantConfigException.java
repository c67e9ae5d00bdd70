package dev.qtune.compiler.quant;

import dev.qtune.compiler.QtuneException;

/** A quantization config that cannot be used: names the file, the key path and the allowed values. */
public class QuantConfigException extends QtuneException {
    public QuantConfigException(String message) {
        super(message);
    }
}

package dev.qtune.compiler.lower;

import dev.qtune.compiler.QtuneException;

/** A graph the native lowering cannot handle: names the node and what it would need. */
public class LoweringException extends QtuneException {
    public LoweringException(String message) {
        super(message);
    }
}

package dev.qtune.compiler.pass;

import dev.qtune.compiler.QtuneException;

/** A pass was asked to run before a pass it requires. */
public class PassOrderException extends QtuneException {
    public PassOrderException(String message) {
        super(message);
    }
}

package dev.qtune.evaluator.data;

import dev.qtune.compiler.QtuneException;

/**
 * A dataset file or spec that cannot be used. The message is one line naming the file (and the
 * YAML key path where relevant), what was expected and what was found.
 */
public class DatasetException extends QtuneException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}

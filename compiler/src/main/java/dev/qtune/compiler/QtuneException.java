package dev.qtune.compiler;

/**
 * An error caused by the user's input (a model, a config, a data file) rather than by a bug: its
 * message is one line that names the file, key or node, what was expected and what was found. The
 * CLI prints it without a stack trace.
 */
public class QtuneException extends RuntimeException {
    public QtuneException(String message) {
        super(message);
    }

    public QtuneException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.qtune.evaluator.metric;

import dev.qtune.compiler.QtuneException;

/** A metric that could not be computed: its command failed, timed out or printed no number. One line. */
public class MetricException extends QtuneException {
    private static final long serialVersionUID = 1L;

    public MetricException(String message) {
        super(message);
    }

    public MetricException(String message, Throwable cause) {
        super(message, cause);
    }
}

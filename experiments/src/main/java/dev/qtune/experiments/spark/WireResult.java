package dev.qtune.experiments.spark;

import java.io.Serializable;

/**
 * A trial's outcome as it travels back to the driver: its trials.jsonl record (the documented
 * format, docs/formats.md) or, when the executor could not even run the evaluator (the workspace
 * did not open, the genome decoded to another config), the error; never both.
 */
record WireResult(String id, String record, String error) implements Serializable {
    private static final long serialVersionUID = 1L;

    static WireResult ok(String id, String record) {
        return new WireResult(id, record, null);
    }

    static WireResult error(String id, String error) {
        return new WireResult(id, null, error);
    }
}

package dev.qtune.experiments.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The trials of a run directory's {@code trials.jsonl}, in file order, and how many torn lines
 * (a partial last line left by a killed search) the reader skipped: 0 or 1.
 *
 * @param records one JSON object per complete line (unknown keys kept as they are)
 * @param tornLines the number of torn lines skipped
 */
public record TrialLog(List<ObjectNode> records, int tornLines) {
    public TrialLog {
        records = List.copyOf(records);
        if (tornLines < 0) {
            throw new IllegalArgumentException("tornLines must be >= 0, but was " + tornLines);
        }
    }
}

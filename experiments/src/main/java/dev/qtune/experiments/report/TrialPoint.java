package dev.qtune.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * One measured trial of the log as the report draws it: a point of accuracy against latency.
 *
 * @param id the trial id ("t0007")
 * @param kind "search", "baseline" or "final"
 * @param label the baseline's label, or the id
 * @param top1 top-1 accuracy in 0..1
 * @param latencyMs median latency in milliseconds
 * @param sizeBytes model size, NaN when not recorded
 * @param feasible whether the trial met the experiment's constraints
 */
record TrialPoint(
        String id, String kind, String label, double top1, double latencyMs, double sizeBytes, boolean feasible) {

    /** The point of a trial record, or empty when the trial failed or has no metrics. */
    static Optional<TrialPoint> of(ObjectNode record) {
        JsonNode m = record.path("metrics");
        if (!"OK".equals(record.path("status").asText())
                || !m.isObject()
                || !accuracy(m).isNumber()
                || !m.path("latency_ms").path("median").isNumber()) {
            return Optional.empty();
        }
        String id = record.path("id").asText("?");
        return Optional.of(new TrialPoint(
                id,
                record.path("kind").asText(""),
                record.path("label").asText(id),
                accuracy(m).asDouble(),
                m.path("latency_ms").path("median").asDouble(),
                number(m.path("size_bytes")),
                m.path("feasible").asBoolean(true)));
    }

    /**
     * The value of the search's accuracy metric in a record's metrics or a pareto.json entry:
     * {@code accuracy}, or {@code top1} in files written before metrics existed.
     */
    static JsonNode accuracy(JsonNode entry) {
        return entry.has("accuracy") ? entry.path("accuracy") : entry.path("top1");
    }

    /** A JSON number as a double; NaN when absent or not a number. */
    static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    /** Top-1 as a percentage, the y axis of the plot. */
    double top1Percent() {
        return top1 * 100;
    }
}

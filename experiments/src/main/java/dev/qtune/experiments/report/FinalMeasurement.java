package dev.qtune.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The re-measurement of a front member at the end of a search (full test set, more latency
 * repeats).
 *
 * @param id the id of the trial re-measured
 * @param top1 the search's accuracy metric (top-1 unless the experiment named another)
 * @param testTop1 top-1 in 0..1 on the same images, NaN when not recorded (no labels)
 * @param samples the number of test samples, -1 when unknown
 * @param median median latency in ms
 * @param p10 10th percentile latency in ms, NaN when unknown
 * @param p90 90th percentile latency in ms, NaN when unknown
 */
record FinalMeasurement(String id, double top1, double testTop1, int samples, double median, double p10, double p90) {

    /** pareto.json's "final" list when present, else the log's kind=final records. */
    static List<FinalMeasurement> of(RunSnapshot run) {
        List<FinalMeasurement> out = new ArrayList<>();
        if (run.pareto().path("final").isArray()) {
            for (JsonNode f : run.pareto().path("final")) {
                out.add(of(
                        f.path("id").asText("?"),
                        TrialPoint.accuracy(f),
                        f.path("top1"),
                        f.path("samples"),
                        f.path("latency_ms")));
            }
            return out;
        }
        for (ObjectNode r : run.records("final")) {
            if ("OK".equals(r.path("status").asText()) && r.path("metrics").isObject()) {
                JsonNode m = r.path("metrics");
                String id = r.path("of").asText(r.path("id").asText("?"));
                out.add(of(id, TrialPoint.accuracy(m), m.path("top1"), m.path("samples"), m.path("latency_ms")));
            }
        }
        return out;
    }

    private static FinalMeasurement of(
            String id, JsonNode accuracy, JsonNode top1, JsonNode samples, JsonNode latency) {
        double median = latency.isNumber() ? latency.asDouble() : TrialPoint.number(latency.path("median"));
        return new FinalMeasurement(
                id,
                TrialPoint.number(accuracy),
                TrialPoint.number(top1),
                samples.isNumber() ? samples.asInt() : -1,
                median,
                TrialPoint.number(latency.path("p10")),
                TrialPoint.number(latency.path("p90")));
    }
}

package dev.qtune.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.StringJoiner;

/**
 * The hover text of a trial on the Pareto plot: its id and kind, its measures, and its config,
 * one line per layer (bits, calibration, granularity, activation mode, fp32, and the schedule
 * knobs it was built with). Plain text: {@link Svg} escapes it.
 */
final class PointTitle {
    private PointTitle() {}

    /** A search trial's or a baseline's title; {@code front} marks a member of the Pareto front. */
    static String of(ObjectNode record, TrialPoint p, RunMetric metric, boolean front) {
        StringBuilder sb = new StringBuilder(p.id());
        if ("baseline".equals(p.kind())) {
            sb.append(": baseline ").append(p.label());
        } else if (record.has("generation")) {
            sb.append(", generation ").append(record.path("generation").asInt());
        }
        sb.append(front ? ", on the Pareto front" : "")
                .append(p.feasible() ? "" : ", infeasible")
                .append('\n');
        sb.append(measures(metric, p.top1(), p.latencyMs(), p.sizeBytes()));
        return sb.append(config(record)).toString();
    }

    /** A final re-measurement's title: which trial it re-measured, its measures and that trial's config. */
    static String ofFinal(FinalMeasurement f, ObjectNode measured, RunMetric metric) {
        StringBuilder sb = new StringBuilder("final re-measure of ")
                .append(f.id())
                .append(" (")
                .append(f.samples() < 0 ? "?" : Integer.toString(f.samples()))
                .append(" images)\n");
        sb.append(measures(metric, f.top1(), f.median(), Double.NaN));
        return sb.append(measured == null ? "" : config(measured)).toString();
    }

    private static String measures(RunMetric metric, double accuracy, double ms, double bytes) {
        return metric.title() + " " + metric.format(accuracy) + ", median " + Format.ms(ms)
                + (Double.isNaN(bytes) ? "" : ", " + Format.bytes(bytes));
    }

    /** The per-layer lines of a record's "layers" and "schedule"; "" when it recorded none. */
    static String config(ObjectNode record) {
        JsonNode layers = record.path("layers");
        if (!layers.isArray() || layers.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode layer : layers) {
            String name = layer.path("name").asText("?");
            sb.append('\n').append(name).append(": ");
            if (layer.path("skip").asBoolean(false) || layer.path("weight_bits").asInt() == 32) {
                sb.append("fp32");
            } else {
                sb.append('w')
                        .append(layer.path("weight_bits").asText("?"))
                        .append(" a")
                        .append(layer.path("activation_bits").asText("?"));
                for (String key : new String[] {"calibration", "granularity", "activation_mode"}) {
                    String v = layer.path(key).asText("");
                    if (!v.isEmpty() && !v.equals("symmetric")) {
                        sb.append(' ').append(v);
                    }
                }
            }
            sb.append(knobs(record.path("schedule").path(name)));
        }
        return sb.toString();
    }

    private static String knobs(JsonNode schedule) {
        if (!schedule.isObject() || schedule.isEmpty()) {
            return "";
        }
        StringJoiner knobs = new StringJoiner(" ", " [", "]");
        schedule.properties()
                .forEach(e -> knobs.add(e.getKey() + "=" + e.getValue().asText()));
        return knobs.toString();
    }
}

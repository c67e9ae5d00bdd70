package dev.qtune.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * The search's accuracy metric as pareto.json names it ({@code metric: {name, title, fraction}};
 * top-1 when absent, as in runs from before metrics existed): how the report titles and prints
 * accuracy values. Fractions print as percentages; a command's number as it is (the plot draws
 * every value times 100, and its axis says so).
 */
record RunMetric(String title, boolean fraction) {
    static final RunMetric TOP1 = new RunMetric("top-1", true);

    static RunMetric of(RunSnapshot run) {
        JsonNode m = run.pareto().path("metric");
        if (!m.isObject()) {
            return TOP1;
        }
        return new RunMetric(
                m.path("title").asText(m.path("name").asText("top-1")),
                m.path("fraction").asBoolean(true));
    }

    /** A value as a table cell: "92.40%" or "0.8123". */
    String format(double value) {
        return fraction
                ? Format.top1(value)
                : Double.isNaN(value) ? Format.NA : String.format(Locale.ROOT, "%.4g", value);
    }

    /** The plot's y axis title (the values drawn are 100 times the metric). */
    String axis() {
        return title + (fraction ? " (%)" : " (\u00d7 100)");
    }
}

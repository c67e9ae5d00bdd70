package dev.qtune.experiments.report;

import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.experiments.report.HtmlTable.Cell;
import java.nio.file.Files;
import java.util.List;

/** The table of the Pareto front (with each member's per-layer bit map) and of the baselines. */
final class FrontSection {
    private FrontSection() {}

    static String html(RunSnapshot run, List<FrontEntry> front) {
        StringBuilder sb = new StringBuilder();
        if (front.isEmpty()) {
            sb.append("<p class=\"note\">The front is empty: no successful, feasible search trial yet.</p>\n");
        } else {
            RunMetric metric = RunMetric.of(run);
            HtmlTable t =
                    new HtmlTable("front", "id", metric.title(), "latency (median)", "size", "quant config", "layers");
            for (FrontEntry f : front) {
                ObjectNode trial = run.trial(f.id()).orElse(null);
                t.row(
                        Cell.text(f.id()),
                        Cell.num(metric.format(f.top1())),
                        Cell.num(Format.ms(f.latencyMs())),
                        Cell.num(Format.bytes(f.sizeBytes())),
                        Cell.html(link(run, f.qconfig())),
                        Cell.html(LayerBitMap.html(trial == null ? MissingNode.getInstance() : trial.path("layers"))));
            }
            sb.append(t.html()).append(LayerBitMap.legend());
        }
        List<ObjectNode> baselines = run.records("baseline");
        if (!baselines.isEmpty()) {
            sb.append("<h3>Baselines</h3>\n").append(baselines(RunMetric.of(run), baselines));
        }
        return sb.toString();
    }

    private static String baselines(RunMetric metric, List<ObjectNode> baselines) {
        HtmlTable b = new HtmlTable(
                "baselines", "id", "label", "status", metric.title(), "latency (median)", "size", "layers");
        for (ObjectNode r : baselines) {
            TrialPoint p = TrialPoint.of(r).orElse(null);
            b.row(
                    Cell.text(r.path("id").asText("?")),
                    Cell.text(r.path("label").asText("")),
                    Cell.text(r.path("status").asText("")),
                    Cell.num(p == null ? Format.NA : metric.format(p.top1())),
                    Cell.num(p == null ? Format.NA : Format.ms(p.latencyMs())),
                    Cell.num(p == null ? Format.NA : Format.bytes(p.sizeBytes())),
                    Cell.html(LayerBitMap.html(r.path("layers"))));
        }
        return b.html();
    }

    /** A link to the member's quant config, relative to the report; plain text when it is not a safe relative path. */
    private static String link(RunSnapshot run, String qconfig) {
        if (qconfig.isEmpty()) {
            return "";
        }
        if (!Html.isSafeRelativeHref(qconfig)) {
            return Html.escape(qconfig);
        }
        String missing =
                Files.isRegularFile(run.dir().resolve(qconfig)) ? "" : " <span class=\"note\">(missing)</span>";
        return "<a href=\"" + Html.escape(qconfig) + "\">" + Html.escape(qconfig) + "</a>" + missing;
    }
}

package dev.qtune.experiments.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.experiments.report.HtmlTable.Cell;
import java.util.List;

/** The failed trials and why each failed. */
final class FailureSection {
    private FailureSection() {}

    static String html(RunSnapshot run) {
        List<ObjectNode> failed = run.log().records().stream()
                .filter(r -> "FAILED".equals(r.path("status").asText()))
                .toList();
        if (failed.isEmpty()) {
            return "<p>No trial failed.</p>\n";
        }
        HtmlTable t = new HtmlTable("failures", "id", "kind", "generation", "reason");
        for (ObjectNode r : failed) {
            t.row(
                    Cell.text(r.path("id").asText("?")),
                    Cell.text(r.path("kind").asText("")),
                    Cell.num(r.path("generation").asText("")),
                    Cell.html("<span class=\"reason\">"
                            + Html.escape(r.path("reason").asText("(no reason recorded)")) + "</span>"));
        }
        return t.html();
    }
}

package dev.qtune.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;

import dev.qtune.experiments.report.HtmlTable.Cell;
import java.util.List;
import java.util.Optional;

/** The final re-measurement of the front: search-time against final top-1 and latency. */
final class FinalSection {
    private FinalSection() {
    }

    static String html(RunSnapshot run, List<FinalMeasurement> finals) {
        if (finals.isEmpty()) {
            return "<p>No final re-measurement yet (it runs when the search ends).</p>\n";
        }
        HtmlTable t = new HtmlTable("final", "id", "search top-1", "final top-1", "\u0394 top-1", "final samples",
                "search latency", "final latency (p10\u2013p90)", "\u0394 latency");
        for (FinalMeasurement f : finals) {
            Optional<TrialPoint> search = run.trial(f.id()).flatMap(TrialPoint::of);
            double searchTop1 = search.map(TrialPoint::top1).orElse(Double.NaN);
            double searchMs = search.map(TrialPoint::latencyMs).orElse(Double.NaN);
            String spread = Double.isNaN(f.p10()) || Double.isNaN(f.p90()) ? ""
                    : " (" + Format.decimals(f.p10()) + "\u2013" + Format.decimals(f.p90()) + ")";
            t.row(Cell.text(f.id()), Cell.num(Format.top1(searchTop1)), Cell.num(Format.top1(f.top1())),
                    Cell.num(Format.top1Delta(f.top1() - searchTop1)),
                    Cell.num(f.samples() < 0 ? Format.NA : Integer.toString(f.samples())), Cell.num(Format.ms(searchMs)),
                    Cell.num(Format.ms(f.median()) + spread), Cell.num(Format.relative(f.median(), searchMs)));
        }
        JsonNode p = run.pareto();
        String fp32 = p.has("fp32_final_top1") ? "<p>fp32 model on the same images (" + Html.escape(p.path("final_split")
                .asText()) + " split): top-1 " + Format.top1(p.path("fp32_final_top1").asDouble()) + ".</p>\n" : "";
        return fp32 + t.html() + "<p class=\"hint\">Search-time numbers are those the search measured on the validation "
                + "images; final ones were measured at the end on the final split (images no trial was chosen on), with "
                + "more latency repeats. The base config's trial and the baselines (b....) are re-measured too.</p>\n";
    }
}

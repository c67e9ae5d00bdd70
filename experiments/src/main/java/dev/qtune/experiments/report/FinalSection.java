package dev.qtune.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.experiments.report.HtmlTable.Cell;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The final re-measurement of the front, the base config and the baselines: search-time against
 * final accuracy and latency, each beside the fp32 model's top-1 on the same images (a row of its
 * own, and each row's difference from it).
 */
final class FinalSection {
    private FinalSection() {}

    static String html(RunSnapshot run, List<FinalMeasurement> finals) {
        if (finals.isEmpty()) {
            return "<p>No final re-measurement yet (it runs when the search ends).</p>\n";
        }
        RunMetric metric = RunMetric.of(run);
        JsonNode p = run.pareto();
        double fp32Final = TrialPoint.number(p.path("fp32_final_top1"));
        Set<String> front = FrontEntry.of(run).stream().map(FrontEntry::id).collect(Collectors.toSet());
        HtmlTable t = table(metric);
        if (!Double.isNaN(fp32Final)) {
            fp32Row(t, metric, p, fp32Final, finals.get(0).samples());
        }
        for (FinalMeasurement f : finals) {
            row(t, metric, run, f, front.contains(f.id()), fp32Final);
        }
        String fp32 = Double.isNaN(fp32Final)
                ? ""
                : "<p>fp32 model on the same images ("
                        + Html.escape(p.path("final_split").asText()) + " split): top-1 " + Format.top1(fp32Final)
                        + ".</p>\n";
        return fp32 + t.html()
                + "<p class=\"hint\">Search-time numbers are those the search measured on the validation "
                + "images; final ones were measured at the end on the final split (images no trial was chosen on), with "
                + "more latency repeats. The base config's trial and the baselines (b....) are re-measured too; "
                + "\u201cvs fp32\u201d is each one's final top-1 minus the fp32 model's on the same images.</p>\n";
    }

    private static HtmlTable table(RunMetric metric) {
        return new HtmlTable(
                "final",
                "id",
                "what",
                "search " + metric.title(),
                "final " + metric.title(),
                "\u0394 " + metric.title(),
                "final top-1",
                "vs fp32",
                "final samples",
                "search latency",
                "final latency (p10\u2013p90)",
                "\u0394 latency");
    }

    /** The fp32 model's row: its metric on the validation images (fp32_top1 in runs from before metrics). */
    private static void fp32Row(HtmlTable t, RunMetric metric, JsonNode p, double fp32Final, int samples) {
        double fp32Search = TrialPoint.number(p.has("fp32_accuracy") ? p.path("fp32_accuracy") : p.path("fp32_top1"));
        String finalValue = metric.equals(RunMetric.TOP1) ? metric.format(fp32Final) : Format.NA;
        t.row(
                Cell.text("fp32"),
                Cell.text("fp32 model (reference)"),
                Cell.num(metric.format(fp32Search)),
                Cell.num(finalValue),
                Cell.num(""),
                Cell.num(Format.top1(fp32Final)),
                Cell.num(""),
                Cell.num(samples < 0 ? Format.NA : Integer.toString(samples)),
                Cell.num(Format.NA),
                Cell.num(Format.NA),
                Cell.num(""));
    }

    /** A re-measured trial's row: search-time against final figures. */
    private static void row(
            HtmlTable t, RunMetric metric, RunSnapshot run, FinalMeasurement f, boolean onFront, double fp32Final) {
        Optional<ObjectNode> trial = run.trial(f.id());
        Optional<TrialPoint> search = trial.flatMap(TrialPoint::of);
        double searchValue = search.map(TrialPoint::top1).orElse(Double.NaN);
        double searchMs = search.map(TrialPoint::latencyMs).orElse(Double.NaN);
        String spread = Double.isNaN(f.p10()) || Double.isNaN(f.p90())
                ? ""
                : " (" + Format.decimals(f.p10()) + "\u2013" + Format.decimals(f.p90()) + ")";
        t.row(
                Cell.text(f.id()),
                Cell.text(what(trial, onFront)),
                Cell.num(metric.format(searchValue)),
                Cell.num(metric.format(f.top1())),
                Cell.num(delta(metric, f.top1() - searchValue)),
                Cell.num(Format.top1(f.testTop1())),
                Cell.num(Format.top1Delta(f.testTop1() - fp32Final)),
                Cell.num(f.samples() < 0 ? Format.NA : Integer.toString(f.samples())),
                Cell.num(Format.ms(searchMs)),
                Cell.num(Format.ms(f.median()) + spread),
                Cell.num(Format.relative(f.median(), searchMs)));
    }

    /** What a re-measured trial is: a baseline (with its label), a front member, or the base config. */
    private static String what(Optional<ObjectNode> trial, boolean onFront) {
        if (trial.isPresent() && "baseline".equals(trial.get().path("kind").asText())) {
            return "baseline: " + trial.get().path("label").asText("");
        }
        return onFront ? "Pareto front" : "base config";
    }

    private static String delta(RunMetric metric, double d) {
        return metric.fraction()
                ? Format.top1Delta(d)
                : Double.isNaN(d) ? Format.NA : String.format(Locale.ROOT, "%+.4g", d);
    }
}

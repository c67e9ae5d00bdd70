package dev.qtune.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report's header: what was searched, where, how many trials, how long; and notes on the files read. */
final class SummarySection {
    private SummarySection() {}

    /** The experiment's name: pareto.json's, else the run directory's name. */
    static String experiment(RunSnapshot run) {
        String name = run.pareto().path("experiment").asText("");
        return name.isEmpty()
                ? String.valueOf(run.dir().toAbsolutePath().normalize().getFileName())
                : name;
    }

    static String html(RunSnapshot run) {
        StringBuilder sb = new StringBuilder("<dl class=\"summary\">\n");
        for (Map.Entry<String, String> e : fields(run).entrySet()) {
            sb.append("<div><dt>")
                    .append(Html.escape(e.getKey()))
                    .append("</dt><dd>")
                    .append(Html.escape(e.getValue()))
                    .append("</dd></div>\n");
        }
        sb.append("</dl>\n");
        for (String note : notes(run)) {
            sb.append("<p class=\"note\">").append(Html.escape(note)).append("</p>\n");
        }
        return sb.toString();
    }

    private static Map<String, String> fields(RunSnapshot run) {
        JsonNode p = run.pareto();
        List<ObjectNode> trials = run.trials();
        long failures = trials.stream()
                .filter(t -> "FAILED".equals(t.path("status").asText()))
                .count();
        Map<String, String> f = new LinkedHashMap<>();
        f.put("experiment", experiment(run));
        f.put("model", p.path("model").asText("") + shortHash(run.provenance("model_sha256")));
        f.put("target", p.path("target").asText(run.provenance("target")));
        f.put("host", run.provenance("host"));
        f.put("compiler", run.provenance("compiler"));
        f.put(
                "trials",
                trials.size() + " (" + run.records("search").size() + " search, "
                        + run.records("baseline").size() + " baseline)");
        f.put("failures", Long.toString(failures));
        f.put(
                "last generation",
                p.path("generation").isNumber() ? p.path("generation").asText() : Format.NA);
        f.put(
                "elapsed",
                run.progress().isEmpty()
                        ? Format.NA
                        : Format.seconds(
                                run.progress().get(run.progress().size() - 1).elapsedS()));
        f.put("hypervolume", Format.decimals(TrialPoint.number(p.path("hypervolume"))));
        putMetric(f, RunMetric.of(run), p);
        f.put(
                "last trial finished",
                trials.stream()
                        .map(t -> t.path("finished").asText(""))
                        .filter(s -> !s.isEmpty())
                        .max(String::compareTo)
                        .orElse(Format.NA));
        return f;
    }

    /** The fp32 model's top-1 (and metric, where the run has another), and the constraint. */
    private static void putMetric(Map<String, String> f, RunMetric metric, JsonNode p) {
        f.put("fp32 top-1", Format.top1(TrialPoint.number(p.path("fp32_top1"))));
        if (!metric.equals(RunMetric.TOP1)) {
            f.put("metric", metric.title());
            f.put("fp32 " + metric.title(), metric.format(TrialPoint.number(p.path("fp32_accuracy"))));
        }
        JsonNode c = p.path("constraint");
        double min = TrialPoint.number(c.has("min_accuracy") ? c.path("min_accuracy") : c.path("min_top1"));
        f.put("constraint", Double.isNaN(min) ? "none" : metric.title() + " \u2265 " + metric.format(min));
    }

    private static String shortHash(String sha) {
        return sha.isEmpty() ? "" : " (sha256 " + sha.substring(0, Math.min(12, sha.length())) + ")";
    }

    private static List<String> notes(RunSnapshot run) {
        List<String> notes = new ArrayList<>();
        if (run.log().tornLines() > 0) {
            notes.add("trials.jsonl ends with a torn line (the search was stopped while writing it); it was skipped.");
        }
        if (run.pareto().isMissingNode()) {
            notes.add(
                    "pareto.json not found (no generation finished yet): the front below is computed from trials.jsonl.");
        }
        if (run.progress().isEmpty()) {
            notes.add("progress.csv not found or empty: no hypervolume history.");
        }
        return notes;
    }
}

package dev.qtune.experiments.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.compiler.quant.QuantConfigFile;
import dev.qtune.compiler.quant.QuantConfigWriter;
import dev.qtune.evaluator.metric.MetricSpec;
import dev.qtune.search.loop.GenerationSummary;
import dev.qtune.search.loop.SearchListener;
import dev.qtune.search.trial.TrialResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the run directory current: each trial appended to the log, the front's files after each
 * generation (pareto.json with the baselines beside the front).
 */
final class RunFiles implements SearchListener {
    private final RunDirectory dir;
    private final RunContext context;
    private ObjectNode pareto;
    private List<ObjectNode> baselines = List.of();

    RunFiles(RunDirectory dir, RunContext context) {
        this.dir = dir;
        this.context = context;
    }

    @Override
    public void trialFinished(TrialResult r) {
        ObjectNode record = TrialRecords.toJson(r);
        r.metrics().ifPresent(m -> TrialRecords.putFeasible(record, context.feasible(m.accuracy())));
        dir.append(record);
    }

    @Override
    public void generationFinished(GenerationSummary s) {
        pareto = paretoJson(s);
        dir.writePareto(pareto);
        dir.appendProgress(String.format(
                Locale.ROOT,
                "%d,%d,%d,%.6g,%d,%s,%.1f",
                s.generation(),
                s.trials(),
                s.failures(),
                s.hypervolume(),
                s.front().size(),
                s.bestTop1().isPresent()
                        ? String.format(Locale.ROOT, "%.4f", s.bestTop1().getAsDouble())
                        : "",
                s.elapsedSeconds()));
        Map<String, String> best = new LinkedHashMap<>();
        for (TrialResult r : s.front()) {
            best.put(
                    r.spec().id() + ".yaml",
                    QuantConfigWriter.toYaml(
                            new QuantConfigFile(
                                    r.spec().decoded().qconfig(),
                                    new ScheduleConfig(r.schedule().layers()),
                                    Optional.of(context.target().name())),
                            comment(r)));
        }
        dir.writeBest(best);
    }

    /** Appends a baseline's record, with its file, to the log; returns the record. */
    ObjectNode baseline(TrialResult r, Path file) {
        ObjectNode record = TrialRecords.toJson(r);
        record.put("file", file.toString());
        r.metrics().ifPresent(m -> TrialRecords.putFeasible(record, context.feasible(m.accuracy())));
        dir.append(record);
        return record;
    }

    /** The baseline records (logged by an earlier run and new) that pareto.json lists from now on. */
    void baselines(List<ObjectNode> records) {
        baselines = List.copyOf(records);
    }

    /** The ids of the baseline records ("b0000", ...). */
    List<String> baselineIds() {
        return baselines.stream().map(o -> o.path("id").asText()).toList();
    }

    /** pareto.json's entries of the baselines. */
    List<ObjectNode> baselineEntries() {
        return baselines.stream().map(RunFiles::baselineEntry).toList();
    }

    /** Appends a final re-measure to the log and adds the final section to pareto.json. */
    void finals(List<TrialResult> finals, List<ObjectNode> loggedFinals) {
        for (TrialResult r : finals) {
            trialFinished(r);
        }
        if (pareto == null) {
            return;
        }
        ArrayNode out = pareto.putArray("final");
        for (ObjectNode o : loggedFinals) {
            out.add(finalEntry(o));
        }
        for (TrialResult r : finals) {
            out.add(finalEntry(TrialRecords.toJson(r)));
        }
        dir.writePareto(pareto);
    }

    private static ObjectNode finalEntry(ObjectNode record) {
        ObjectNode f = TrialRecords.MAPPER.createObjectNode();
        f.put("id", record.path("of").asText());
        f.put("status", record.path("status").asText());
        if (record.has("metrics")) {
            TrialRecords.putAccuracy(f, record.path("metrics"));
            f.put("samples", record.path("metrics").path("samples").asInt());
            f.set("latency_ms", record.path("metrics").path("latency_ms").deepCopy());
        } else {
            f.put("reason", record.path("reason").asText());
        }
        return f;
    }

    private ObjectNode paretoJson(GenerationSummary s) {
        var exp = context.experiment();
        ObjectNode o = TrialRecords.MAPPER.createObjectNode();
        o.put("experiment", exp.name());
        o.put("model", exp.model().toString());
        o.put("dataset", exp.dataset());
        o.put("target", context.target().name());
        o.put("strategy", exp.strategy().name());
        o.put("seed", exp.seed());
        o.put("generation", s.generation());
        o.put("trials", s.trials());
        o.put("failures", s.failures());
        o.put("elapsed_s", TrialRecords.round(s.elapsedSeconds()));
        o.put("hypervolume", s.hypervolume());
        var metric = exp.metric();
        o.putObject("metric")
                .put("name", metric.label())
                .put("title", metric.title())
                .put("fraction", metric.fraction());
        o.putObject("reference")
                .put("accuracy", 1 - s.reference()[0])
                .put("top1", 1 - s.reference()[0])
                .put("latency_ms", s.reference()[1]);
        context.minAccuracy().ifPresent(m -> putConstraint(o.putObject("constraint"), m));
        putFinite(o, "fp32_accuracy", context.fp32Accuracy());
        putFinite(o, "fp32_top1", context.fp32Top1());
        if (!Double.isNaN(context.fp32FinalTop1())) {
            o.put("fp32_final_top1", context.fp32FinalTop1());
            o.put("final_split", context.finalSplit());
        }
        o.put("validation_samples", Math.min(exp.validationSamples(), Integer.MAX_VALUE));
        putFront(o.putArray("front"), s.front());
        o.putArray("baselines").addAll(baselineEntries());
        return o;
    }

    /** The accuracy constraint: its minimum (as min_top1 too when the metric is top-1) and its description. */
    private void putConstraint(ObjectNode c, double min) {
        var exp = context.experiment();
        var metric = exp.metric();
        c.put("min_accuracy", min);
        if (metric.kind() == MetricSpec.Kind.TOP1) {
            c.put("min_top1", min);
        }
        c.put("description", exp.constraint().orElseThrow().describe(metric.title(), metric.fraction()));
    }

    /** The front's members: id, accuracy, top-1 where known, latency, size and quant config file. */
    private static void putFront(ArrayNode front, List<TrialResult> members) {
        for (TrialResult r : members) {
            var m = r.metrics().orElseThrow();
            ObjectNode f = front.addObject().put("id", r.spec().id()).put("accuracy", m.accuracy());
            putFinite(f, "top1", m.top1());
            f.put("latency_ms", m.latencyMedianMs())
                    .put("size_bytes", m.sizeBytes())
                    .put("qconfig", RunDirectory.BEST + "/" + r.spec().id() + ".yaml");
        }
    }

    /** pareto.json's entry of a baseline: id, label, file, status, and top1, latency_ms, size_bytes or the reason. */
    private static ObjectNode baselineEntry(ObjectNode record) {
        ObjectNode b = TrialRecords.MAPPER.createObjectNode();
        b.put("id", record.path("id").asText())
                .put("label", record.path("label").asText())
                .put("file", record.path("file").asText())
                .put("status", record.path("status").asText());
        JsonNode m = record.path("metrics");
        if (m.isObject()) {
            TrialRecords.putAccuracy(b, m);
            b.put("latency_ms", m.path("latency_ms").path("median").asDouble())
                    .put("size_bytes", m.path("size_bytes").asLong())
                    .put("feasible", m.path("feasible").asBoolean(true));
        } else {
            b.put("reason", record.path("reason").asText());
        }
        return b;
    }

    private String comment(TrialResult r) {
        var m = r.metrics().orElseThrow();
        var metric = context.experiment().metric();
        return String.format(
                Locale.ROOT,
                "qtune search %s, trial %s (generation %d), target %s%n"
                        + "%s %s on %d validation images, median latency %.3f ms, %d bytes of constants%n"
                        + "schedule: the kernel knobs the module was built with (docs/config.md, \"Schedule\")",
                context.experiment().name(),
                r.spec().id(),
                r.spec().generation(),
                context.target().name(),
                metric.title(),
                metric.format(m.accuracy()),
                m.samples(),
                m.latencyMedianMs(),
                m.sizeBytes());
    }

    private static void putFinite(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        }
    }
}

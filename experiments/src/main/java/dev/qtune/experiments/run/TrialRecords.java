package dev.qtune.experiments.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.search.space.Decoded;
import dev.qtune.search.space.Genome;
import dev.qtune.search.space.LayerChoice;
import dev.qtune.search.space.SpaceDecoder;
import dev.qtune.search.trial.Provenance;
import dev.qtune.search.trial.StageTimes;
import dev.qtune.search.trial.TrialKind;
import dev.qtune.search.trial.TrialMetrics;
import dev.qtune.search.trial.TrialResult;
import dev.qtune.search.trial.TrialSpec;
import dev.qtune.search.trial.TrialStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A trial result as one line of trials.jsonl (docs/formats.md), and back (for resume). */
public final class TrialRecords {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private TrialRecords() {}

    public static ObjectNode toJson(TrialResult r) {
        TrialSpec s = r.spec();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("trial", s.number());
        o.put("id", s.id());
        o.put("kind", s.kind().label());
        o.put("generation", s.generation());
        o.put("status", r.status().name());
        if (!r.ok()) {
            o.put("reason", r.reason());
        }
        o.put("config_hash", s.decoded().configHash());
        if (s.kind() != TrialKind.BASELINE) {
            var g = o.putArray("genome");
            s.decoded().genome().values().forEach(g::add);
        } else {
            o.put("label", s.label());
        }
        if (s.kind() == TrialKind.FINAL) {
            o.put("of", s.label());
        }
        putLayers(o.putArray("layers"), s);
        ObjectNode sched = o.putObject("schedule");
        r.schedule().layers().forEach((layer, knobs) -> {
            ObjectNode k = sched.putObject(layer);
            knobs.forEach(k::put);
        });
        r.metrics().ifPresent(m -> putMetrics(o.putObject("metrics"), m));
        putTimes(o.putObject("times_s"), r.times());
        putProvenance(o.putObject("provenance"), r.provenance());
        o.put("finished", r.finished().toString());
        return o;
    }

    private static void putLayers(ArrayNode layers, TrialSpec s) {
        for (LayerChoice c : s.decoded().layers()) {
            ObjectNode l = layers.addObject();
            l.put("name", c.layer());
            l.put("op", c.op());
            l.put("weight_bits", c.weightBits());
            l.put("activation_bits", c.activationBits());
            // a baseline's scales are its file's: no calibration mode chose them
            boolean fromFile =
                    s.kind() == TrialKind.BASELINE || s.decoded().genome().size() == 0;
            l.put(
                    "calibration",
                    c.skip()
                            ? "none"
                            : fromFile ? "file" : c.calibration().name().toLowerCase(Locale.ROOT));
            l.put("granularity", c.skip() ? "none" : c.granularity().name().toLowerCase(Locale.ROOT));
            l.put("skip", c.skip());
            if (!c.skip()) {
                l.put("activation_mode", c.activationMode().name().toLowerCase(Locale.ROOT));
            }
        }
    }

    private static void putMetrics(ObjectNode o, TrialMetrics m) {
        if (m.labeled()) {
            o.put("top1", m.top1());
        }
        o.put("accuracy", m.accuracy());
        o.put("samples", m.samples());
        o.putObject("latency_ms")
                .put("median", m.latencyMedianMs())
                .put("p10", m.latencyP10Ms())
                .put("p90", m.latencyP90Ms());
        o.put("size_bytes", m.sizeBytes());
        if (m.labeled()) {
            double[] ci = m.top1Interval();
            o.putArray("top1_ci95").add(ci[0]).add(ci[1]);
        }
        if (m.paired()) {
            o.put("agreement", m.agreement());
            o.put("divergence", m.divergence());
        }
    }

    private static void putTimes(ObjectNode o, StageTimes t) {
        o.put("calibrate", round(t.calibrate()))
                .put("quantize", round(t.quantize()))
                .put("compile", round(t.compile()))
                .put("accuracy", round(t.accuracy()))
                .put("latency", round(t.latency()))
                .put("total", round(t.total()));
    }

    private static void putProvenance(ObjectNode o, Provenance p) {
        o.put("model_sha256", p.modelSha256())
                .put("data_sha256", p.dataSha256())
                .put("target", p.target())
                .put("compiler", p.compiler())
                .put("host", p.host())
                .put("seed", p.seed())
                .put("threads", p.threads());
    }

    /**
     * Copies a record's {@code accuracy} (top-1 in logs written before metrics existed) and, where
     * known, {@code top1} from {@code metrics} into a pareto.json entry.
     */
    static void putAccuracy(ObjectNode entry, JsonNode metrics) {
        JsonNode top1 = metrics.path("top1");
        entry.put(
                "accuracy",
                metrics.path("accuracy").isNumber() ? metrics.path("accuracy").asDouble() : top1.asDouble());
        if (top1.isNumber()) {
            entry.put("top1", top1.asDouble());
        }
    }

    /** Marks whether an OK trial met the constraint (the loop decides; the log records it). */
    public static void putFeasible(ObjectNode record, boolean feasible) {
        if (record.has("metrics")) {
            ((ObjectNode) record.get("metrics")).put("feasible", feasible);
        }
    }

    /**
     * A search trial back from its record, decoded again from its genome with today's decoder; fails
     * (naming the trial) when the decoded config's hash differs from the logged one (the experiment
     * or the model changed since the run: resume would mix two searches).
     */
    public static TrialResult fromJson(JsonNode o, SpaceDecoder decoder, String where) {
        List<Integer> genes = new ArrayList<>();
        o.path("genome").forEach(v -> genes.add(v.asInt()));
        Decoded d;
        try {
            d = decoder.decode(new Genome(genes));
        } catch (IllegalArgumentException e) {
            throw new QtuneException(where + ": genome does not fit this experiment's space: " + e.getMessage());
        }
        if (!d.configHash().equals(o.path("config_hash").asText())) {
            throw new QtuneException(where + ": trial " + o.path("id").asText() + " decodes to another config than "
                    + "it was run with (the experiment file or model changed since); start a new run directory");
        }
        TrialSpec spec = new TrialSpec(
                o.path("trial").asInt(),
                o.path("generation").asInt(),
                TrialKind.parse(o.path("kind").asText()),
                o.path("label").asText(""),
                d,
                o.path("metrics").path("samples").asInt(0),
                1);
        return resultOf(o, spec);
    }

    /**
     * The outcome a record holds (status, reason, metrics, times, provenance, schedule), for the
     * given spec: how a result that travelled as its record (from a Spark executor) is rejoined
     * to the spec it was run for.
     */
    public static TrialResult resultOf(JsonNode o, TrialSpec spec) {
        TrialStatus status = TrialStatus.valueOf(o.path("status").asText());
        Optional<TrialMetrics> m =
                status == TrialStatus.OK ? Optional.of(metricsOf(o.path("metrics"))) : Optional.empty();
        JsonNode t = o.path("times_s");
        JsonNode p = o.path("provenance");
        return new TrialResult(
                spec,
                status,
                o.path("reason").asText(""),
                m,
                new StageTimes(
                        t.path("calibrate").asDouble(),
                        t.path("quantize").asDouble(),
                        t.path("compile").asDouble(),
                        t.path("accuracy").asDouble(),
                        t.path("latency").asDouble(),
                        t.path("total").asDouble()),
                new Provenance(
                        p.path("model_sha256").asText(),
                        p.path("data_sha256").asText(),
                        p.path("target").asText(),
                        p.path("compiler").asText(),
                        p.path("host").asText(),
                        p.path("seed").asLong(),
                        p.path("threads").asInt(1)),
                scheduleOf(o.path("schedule")),
                Instant.parse(o.path("finished").asText()));
    }

    private static TrialMetrics metricsOf(JsonNode mo) {
        JsonNode l = mo.path("latency_ms");
        double top1 = mo.path("top1").isNumber() ? mo.path("top1").asDouble() : Double.NaN;
        return new TrialMetrics(
                top1,
                mo.path("samples").asInt(),
                l.path("median").asDouble(),
                l.path("p10").asDouble(),
                l.path("p90").asDouble(),
                mo.path("size_bytes").asLong(),
                mo.path("agreement").asDouble(Double.NaN),
                mo.path("divergence").asDouble(Double.NaN),
                mo.path("accuracy").isNumber() ? mo.path("accuracy").asDouble() : top1); // older logs: top-1
    }

    private static ScheduleConfig scheduleOf(JsonNode schedule) {
        Map<String, Map<String, Integer>> sched = new TreeMap<>();
        schedule.properties().forEach(e -> {
            Map<String, Integer> k = new TreeMap<>();
            e.getValue()
                    .properties()
                    .forEach(kv -> k.put(kv.getKey(), kv.getValue().asInt()));
            sched.put(e.getKey(), k);
        });
        return new ScheduleConfig(sched);
    }

    static double round(double s) {
        return Math.round(s * 1000) / 1000.0;
    }
}

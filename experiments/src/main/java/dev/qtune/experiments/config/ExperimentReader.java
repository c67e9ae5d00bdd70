package dev.qtune.experiments.config;

import dev.qtune.compiler.InputLimits;
import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.lower.ConvSchedules;
import dev.qtune.compiler.quant.LayerPattern;
import dev.qtune.compiler.quant.QuantConfigException;
import dev.qtune.compiler.quant.QuantConfigNode;
import dev.qtune.compiler.quant.QuantConfigYaml;
import dev.qtune.evaluator.metric.MetricSpec;
import dev.qtune.search.loop.FailureRule;
import dev.qtune.search.loop.Objective;
import dev.qtune.search.space.GeneKind;
import dev.qtune.search.space.SpaceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads an experiment file (docs/config.md). Unknown keys are rejected; every error is one line
 * naming the file, the key path and the allowed values. Relative paths resolve against the working
 * directory, else against the qtune installation (so the shipped examples run from anywhere).
 */
public final class ExperimentReader {
    static final List<String> TOP_KEYS = List.of(
            "name",
            "model",
            "dataset",
            "target",
            "base_qconfig",
            "space",
            "strategy",
            "budget",
            "objectives",
            "constraints",
            "on_failure",
            "measure",
            "executor",
            "output",
            "seed",
            "baselines",
            "seeds",
            "sweep",
            "metric");
    private static final List<String> SPACE_KEYS = concat(GeneKind.labels(), List.of("schedule", "fixed"));
    /** The schedule knobs a {@code space.fixed} entry may hold. */
    private static final List<String> KNOBS = List.of(ConvSchedules.OC_BLOCK, ConvSchedules.OW_TILE, ConvSchedules.DOT);

    private static final List<String> FIXED_KEYS = concat(List.of("match"), concat(GeneKind.labels(), KNOBS));

    private ExperimentReader() {}

    public static ExperimentConfig read(Path file) {
        return parse(readText(file, "experiment file"), file);
    }

    /**
     * The text of a config file ({@code what}: "experiment file", "sweep file"); a missing,
     * oversized or unreadable file is a {@link QuantConfigException} saying so.
     */
    static String readText(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new QuantConfigException(what + " not found: " + file + " (resolved to "
                    + file.toAbsolutePath().normalize() + ")");
        }
        try {
            return InputLimits.readConfigText(file, what);
        } catch (QuantConfigException e) {
            throw e;
        } catch (QtuneException e) {
            throw new QuantConfigException(e.getMessage());
        }
    }

    public static ExperimentConfig parse(String yaml, Path file) {
        String source = file.toString();
        QuantConfigNode root = new QuantConfigNode(QuantConfigYaml.readTree(yaml, source), "", source);
        root.requireMapping(TOP_KEYS);
        root.get("sweep").ifPresent(n -> {
            throw n.problem("this file declares a sweep: run it with `qtune sweep` (one search takes no sweep key)");
        });
        String name = safeName(root.require("name", "a name"));
        Path model = path(root.require("model", "an ONNX model file"), true);
        DataSection data =
                dataSection(root.require("dataset", "a mapping with name, calibration_samples, validation_samples"));
        long seed = root.get("seed")
                .map(n -> (long) n.integer(0, Integer.MAX_VALUE, ">= 0"))
                .orElse(0L);
        MetricSpec metric = MetricReader.read(
                root.get("metric").orElse(null), file.toAbsolutePath().getParent());
        Path output = root.get("output").map(n -> path(n, false)).orElse(Path.of("runs", name));
        return new ExperimentConfig(
                name,
                file,
                model,
                data.name(),
                data.calibration(),
                data.validation(),
                root.get("target").map(n -> n.text("a target name or auto")).orElse("auto"),
                root.get("base_qconfig").map(n -> path(n, true)),
                space(root.get("space").orElse(null)),
                StrategyReader.read(root.get("strategy").orElse(null), seed),
                budget(root.require("budget", "a mapping with trials")),
                objectives(root.get("objectives").orElse(null)),
                constraint(root.get("constraints").orElse(null), metric.fraction()),
                root.get("on_failure").map(n -> n.enumValue(FailureRule.class)).orElse(FailureRule.PENALIZE),
                measure(root.get("measure").orElse(null)),
                executor(root.get("executor").orElse(null)),
                output,
                seed,
                baselines(root.get("baselines").orElse(null)),
                seeds(root.get("seeds").orElse(null)),
                metric);
    }

    /** The dataset's name and how many calibration and validation samples to use. */
    private record DataSection(String name, int calibration, int validation) {}

    private static DataSection dataSection(QuantConfigNode data) {
        data.requireMapping(List.of("name", "calibration_samples", "validation_samples"));
        String dataset = data.require("name", "a dataset name").text("a built-in dataset name or a spec file");
        int calibration = data.get("calibration_samples")
                .map(n -> n.integer(1, 1_000_000, "in 1..1000000"))
                .orElse(1000);
        int validation = data.get("validation_samples")
                .map(n -> n.integer(1, 1_000_000, "in 1..1000000"))
                .orElse(1000);
        return new DataSection(dataset, calibration, validation);
    }

    /**
     * A name that stays under runs/: folder names of letters, digits, '.', '_' and '-', none starting
     * with a dot, joined by '/' (a sweep's runs), at most 200 characters; so {@code name: ../../..}
     * cannot write outside runs/.
     */
    static String safeName(QuantConfigNode n) {
        String name = n.text("a name");
        if (name.length() > 200 || !name.matches("[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*")) {
            throw n.error(
                    "must be a plain folder name (letters, digits, '.', '_', '-', not starting with '.'; '/' only"
                            + " between such names) since the run goes to runs/NAME",
                    "'" + InputLimits.excerpt(name) + "'");
        }
        return name;
    }

    /** {@code baselines}: a list of {label, file}; labels unique, files existing (resolved like the model). */
    private static List<ExperimentConfig.Baseline> baselines(QuantConfigNode n) {
        List<ExperimentConfig.Baseline> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        for (QuantConfigNode b : n.elements("a list of {label, file}")) {
            b.requireMapping(List.of("label", "file"));
            QuantConfigNode labelNode = b.require("label", "a label for the plot");
            String label = labelNode.text("a label for the plot");
            if (label.isBlank()) {
                throw labelNode.error("must be a non-empty label", "'" + label + "'");
            }
            if (out.stream().anyMatch(o -> o.label().equals(label))) {
                throw labelNode.error("must be unique among the baselines", "'" + label + "'");
            }
            out.add(new ExperimentConfig.Baseline(label, path(b.require("file", "a pre-quantized ONNX file"), true)));
        }
        return out;
    }

    /** {@code seeds}: a list of quant config files (resolved like the model). */
    private static List<Path> seeds(QuantConfigNode n) {
        List<Path> out = new ArrayList<>();
        if (n != null) {
            for (QuantConfigNode f : n.elements("a list of quant config files")) {
                out.add(path(f, true));
            }
        }
        return out;
    }

    /** Masters Spark accepts that we can check here; anything else is a typo. */
    private static final Pattern MASTER =
            Pattern.compile("local(\\[(\\*|[1-9][0-9]*)(,[1-9][0-9]*)?])?|spark://.+|yarn|k8s://.+");

    private static ExperimentConfig.Executor executor(QuantConfigNode n) {
        if (n == null) {
            return ExperimentConfig.Executor.DEFAULT;
        }
        n.requireMapping(List.of("type", "workers", "master"));
        String type = n.get("type").map(v -> v.text("an executor type")).orElse(ExperimentConfig.Executor.SPARK);
        if (!type.equals(ExperimentConfig.Executor.SPARK) && !type.equals(ExperimentConfig.Executor.LOCAL)) {
            throw n.get("type").orElseThrow().error("must be spark or local", "'" + type + "'");
        }
        int workers = n.get("workers").map(v -> v.integer(1, 256, "in 1..256")).orElse(0);
        Optional<String> master = n.get("master").map(v -> {
            String m = v.text("a Spark master URL");
            if (!MASTER.matcher(m).matches()) {
                throw v.error(
                        "must be a Spark master: local, local[N], local[*], spark://HOST:PORT, yarn or k8s://URL",
                        "'" + m + "'");
            }
            if (type.equals(ExperimentConfig.Executor.LOCAL)) {
                throw v.error("is for executor type spark; type local runs threads in this process", "'" + m + "'");
            }
            return m;
        });
        return new ExperimentConfig.Executor(type, workers, master);
    }

    private static SpaceSpec space(QuantConfigNode n) {
        if (n == null) {
            return new SpaceSpec(Map.of(), false, List.of());
        }
        n.requireMapping(SPACE_KEYS);
        Map<GeneKind, List<String>> values = new LinkedHashMap<>();
        for (GeneKind kind : GeneKind.values()) {
            n.get(kind.label()).ifPresent(list -> values.put(kind, labels(list, kind.legalValues())));
        }
        boolean schedule = n.get("schedule").map(QuantConfigNode::bool).orElse(false);
        List<SpaceSpec.Fixed> fixed = new ArrayList<>();
        for (QuantConfigNode f : n.get("fixed")
                .map(x -> x.elements("a list of {match, <kind>: value}"))
                .orElse(List.of())) {
            f.requireMapping(FIXED_KEYS);
            String match = f.require("match", "a layer pattern").text("a layer pattern");
            Map<String, String> held = new LinkedHashMap<>();
            for (GeneKind k : GeneKind.values()) {
                f.get(k.label()).ifPresent(v -> held.put(k.label(), label(v, k.legalValues())));
            }
            for (String k : KNOBS) {
                f.get(k).ifPresent(v -> held.put(k, String.valueOf(v.integer(1, 1024, "in 1..1024"))));
            }
            try {
                fixed.add(new SpaceSpec.Fixed(LayerPattern.parse(match), held));
            } catch (IllegalArgumentException e) {
                throw f.problem(e.getMessage());
            }
        }
        return new SpaceSpec(values, schedule, fixed);
    }

    /** A scalar that must be one of {@code allowed}, as its label. */
    private static String label(QuantConfigNode v, List<String> allowed) {
        String text = v.node().isValueNode() ? v.node().asText() : null;
        if (text == null || !allowed.contains(text)) {
            throw v.error("must be one of " + String.join(", ", allowed));
        }
        return text;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    private static List<String> labels(QuantConfigNode list, List<String> allowed) {
        List<String> out = new ArrayList<>();
        for (QuantConfigNode e : list.elements("a list of values from " + String.join(", ", allowed))) {
            String text = label(e, allowed);
            if (out.contains(text)) {
                throw e.error("must not repeat a value", text);
            }
            out.add(text);
        }
        if (out.isEmpty()) {
            throw list.error("must list at least one of " + String.join(", ", allowed), "an empty list");
        }
        return out;
    }

    private static ExperimentConfig.Budget budget(QuantConfigNode n) {
        n.requireMapping(List.of("trials", "generations", "wall_clock_s", "patience", "exit"));
        return new ExperimentConfig.Budget(
                n.require("trials", "the number of trials").integer(1, 1_000_000, "in 1..1000000"),
                n.get("generations")
                        .map(g -> g.integer(0, 1_000_000, "in 0..1000000"))
                        .orElse(0),
                n.get("wall_clock_s")
                        .map(w -> w.number(v -> v >= 0, ">= 0 seconds"))
                        .orElse(0.0),
                n.get("patience")
                        .map(g -> g.integer(0, 1_000_000, "in 0..1000000 generations (0 = none)"))
                        .orElse(0),
                n.get("exit").map(ExperimentReader::exit));
    }

    private static List<Objective> objectives(QuantConfigNode n) {
        if (n == null) {
            return List.of(Objective.ACCURACY, Objective.LATENCY);
        }
        List<Objective> out = new ArrayList<>();
        for (QuantConfigNode e : n.elements("a list: accuracy, latency[, size]")) {
            out.add(e.enumValue(Objective.class));
        }
        if (out.size() < 2
                || out.get(0) != Objective.ACCURACY
                || out.get(1) != Objective.LATENCY
                || out.size() > 3
                || out.stream().distinct().count() != out.size()) {
            throw n.error("must be [accuracy, latency] or [accuracy, latency, size]", out.toString());
        }
        return out;
    }

    /** {@code budget.exit}: {max_drop: {absolute|relative}, latency_ratio: x} */
    private static ExperimentConfig.Exit exit(QuantConfigNode n) {
        n.requireMapping(List.of("max_drop", "latency_ratio"));
        return new ExperimentConfig.Exit(
                maxDrop(n.require("max_drop", "{absolute: points} or {relative: fraction}")),
                n.get("latency_ratio")
                        .map(v -> v.number(x -> x > 0 && x <= 100, "in (0, 100]"))
                        .orElse(1.0));
    }

    private static Optional<AccuracyConstraint> constraint(QuantConfigNode n, boolean fraction) {
        if (n == null) {
            return Optional.empty();
        }
        n.requireMapping(List.of("max_drop"));
        return Optional.of(maxDrop(n.require("max_drop", "{absolute: points} or {relative: fraction}"), fraction));
    }

    private static AccuracyConstraint maxDrop(QuantConfigNode drop) {
        return maxDrop(drop, true);
    }

    /** {@code fraction}: absolute is in points, at most 100; else in the command metric's units. */
    private static AccuracyConstraint maxDrop(QuantConfigNode drop, boolean fraction) {
        drop.requireMapping(List.of("absolute", "relative"));
        Optional<QuantConfigNode> abs = drop.get("absolute");
        Optional<QuantConfigNode> rel = drop.get("relative");
        if (abs.isPresent() == rel.isPresent()) {
            throw drop.error("must have exactly one of absolute (points) or relative (fraction)");
        }
        return abs.isPresent()
                ? new AccuracyConstraint(
                        false,
                        fraction
                                ? abs.get().number(v -> v >= 0 && v <= 100, "in [0, 100] points")
                                : abs.get().number(v -> v >= 0 && Double.isFinite(v), ">= 0, in the metric's units"))
                : new AccuracyConstraint(true, rel.get().number(v -> v >= 0 && v <= 1, "a fraction in [0, 1]"));
    }

    private static ExperimentConfig.Measure measure(QuantConfigNode n) {
        if (n == null) {
            return new ExperimentConfig.Measure(0.3, 2.0, 0, 8);
        }
        n.requireMapping(List.of("bench_seconds", "final_bench_seconds", "final_samples", "final_max"));
        return new ExperimentConfig.Measure(
                n.get("bench_seconds")
                        .map(v -> v.number(x -> x > 0 && x <= 60, "in (0, 60] seconds"))
                        .orElse(0.3),
                n.get("final_bench_seconds")
                        .map(v -> v.number(x -> x > 0 && x <= 600, "in (0, 600] seconds"))
                        .orElse(2.0),
                n.get("final_samples")
                        .map(v -> v.integer(0, 1_000_000, "in 0..1000000 (0 = all)"))
                        .orElse(0),
                n.get("final_max")
                        .map(v -> v.integer(0, 1000, "in 0..1000 (0 = no re-measure)"))
                        .orElse(8));
    }

    /** A path value: as given if it exists (or {@code mustExist} is false), else under the qtune installation. */
    static Path path(QuantConfigNode n, boolean mustExist) {
        Path p = Path.of(n.text("a file path"));
        if (!mustExist || p.isAbsolute() || Files.exists(p)) {
            return p;
        }
        String root = System.getProperty("qtune.root");
        if (root != null && Files.exists(Path.of(root).resolve(p))) {
            return Path.of(root).resolve(p);
        }
        throw n.error(
                "must name an existing file",
                "'" + p + "' (resolved to " + p.toAbsolutePath().normalize() + ")");
    }
}

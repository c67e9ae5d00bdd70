package dev.qtune.experiments.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.qtune.compiler.quant.QuantConfigNode;
import dev.qtune.compiler.quant.QuantConfigYaml;
import dev.qtune.search.space.GeneKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A research sweep: an experiment file with a {@code sweep:} mapping from a key to a list of
 * values; the sweep is every combination (the matrix), one experiment each. Keys: {@code strategy}
 * (strategy names), {@code seed}, {@code target}, {@code strategy.KEY} and {@code space.KEY}
 * (schema: docs/config.md#sweeps). Each combination is the base file with those keys replaced,
 * named by its values ("nsga2-s1"), with its own run directory under the sweep's output.
 */
public final class SweepReader {
    private static final YAMLMapper YAML = new YAMLMapper();

    private SweepReader() {}

    /** One combination: its name, its group (the name without the seed), its seed and its experiment file text. */
    public record Run(String name, String group, OptionalLong seed, Map<String, String> params, String yaml) {}

    /** The sweep: the base experiment's name, the sweep's output folder, the swept keys, and the runs in matrix order. */
    public record Sweep(Path file, String name, Path output, List<String> keys, List<Run> runs) {}

    public static Sweep read(Path file) {
        return parse(ExperimentReader.readText(file, "sweep file"), file);
    }

    public static Sweep parse(String yaml, Path file) {
        String source = file.toString();
        JsonNode tree = QuantConfigYaml.readTree(yaml, source);
        QuantConfigNode root = new QuantConfigNode(tree, "", source);
        root.requireMapping(ExperimentReader.TOP_KEYS);
        QuantConfigNode sweep = root.require(
                "sweep",
                "a mapping from keys (strategy, seed, target, strategy.KEY, " + "space.KEY) to lists of values");
        if (!sweep.node().isObject() || sweep.node().isEmpty()) {
            throw sweep.error("must be a non-empty mapping from keys to lists of values");
        }
        String name = ExperimentReader.safeName(root.require("name", "a name"));
        Path output = root.get("output").map(n -> Path.of(n.text("a folder"))).orElse(Path.of("runs", name));
        List<String> keys = new ArrayList<>();
        sweep.node().fieldNames().forEachRemaining(keys::add);
        List<List<JsonNode>> values = values(sweep, keys);
        ObjectNode base = ((ObjectNode) tree).deepCopy();
        base.remove("sweep");
        List<Run> runs = runs(base, name, output, keys, values);
        List<String> names = runs.stream().map(Run::name).distinct().toList();
        if (names.size() != runs.size()) {
            throw sweep.problem("two combinations get the same run name; give the swept values distinct names");
        }
        for (Run r : runs) {
            // each combination must be a valid experiment on its own; errors name the sweep file and the run
            ExperimentReader.parse(r.yaml(), Path.of(source + " (sweep run " + r.name() + ")"));
        }
        return new Sweep(file, name, output, List.copyOf(keys), List.copyOf(runs));
    }

    /** Each key's values, checked. */
    private static List<List<JsonNode>> values(QuantConfigNode sweep, List<String> keys) {
        List<List<JsonNode>> values = new ArrayList<>();
        for (String key : keys) {
            QuantConfigNode n = sweep.get(key).orElseThrow();
            checkKey(n, key);
            List<JsonNode> vs = new ArrayList<>();
            n.elements("a list of values").forEach(e -> vs.add(e.node()));
            if (vs.isEmpty()) {
                throw n.error("must list at least one value");
            }
            values.add(vs);
        }
        return values;
    }

    /** The runs: the cartesian product of the values, the last key changing fastest. */
    private static List<Run> runs(
            ObjectNode base, String name, Path output, List<String> keys, List<List<JsonNode>> values) {
        List<Run> runs = new ArrayList<>();
        int[] index = new int[keys.size()];
        while (true) {
            runs.add(run(base, name, output, keys, values, index));
            int k = keys.size() - 1;
            while (k >= 0 && ++index[k] == values.get(k).size()) {
                index[k--] = 0;
            }
            if (k < 0) {
                break;
            }
        }
        return runs;
    }

    private static void checkKey(QuantConfigNode n, String key) {
        boolean known = key.equals("strategy")
                || key.equals("seed")
                || key.equals("target")
                || key.startsWith("strategy.") && key.length() > "strategy.".length()
                || key.startsWith("space.")
                        && GeneKind.fromLabel(key.substring("space.".length())).isPresent();
        if (!known) {
            throw n.problem("unknown sweep key; allowed: strategy, seed, target, strategy.KEY, space."
                    + String.join(", space.", GeneKind.labels()));
        }
    }

    private static Run run(
            ObjectNode base, String name, Path output, List<String> keys, List<List<JsonNode>> values, int[] index) {
        ObjectNode exp = base.deepCopy();
        Map<String, String> params = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        OptionalLong seed = OptionalLong.empty();
        for (int k = 0; k < keys.size(); k++) {
            String key = keys.get(k);
            JsonNode v = values.get(k).get(index[k]);
            set(exp, key, v);
            String shown = shown(v);
            params.put(key, shown);
            if (key.equals("seed")) {
                seed = OptionalLong.of(v.asLong());
            } else {
                parts.add(key.equals("strategy") || key.equals("target") ? shown : last(key) + "-" + shown);
            }
        }
        String group = parts.isEmpty() ? name : String.join("-", parts);
        String runName = seed.isPresent() ? (parts.isEmpty() ? "" : group + "-") + "s" + seed.getAsLong() : group;
        exp.put("name", name + "/" + runName);
        exp.put("output", output.resolve(runName).toString());
        try {
            return new Run(runName, group, seed, params, YAML.writeValueAsString(exp));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the experiment of sweep run " + runName, e);
        }
    }

    /** Sets a dotted key; "strategy" names the strategy whether the file's strategy is a name or a mapping. */
    private static void set(ObjectNode exp, String key, JsonNode value) {
        if (key.equals("strategy")) {
            JsonNode s = exp.get("strategy");
            ObjectNode strategy = s instanceof ObjectNode o ? o : exp.putObject("strategy");
            if (value.isObject()) {
                value.fields().forEachRemaining(e -> strategy.set(e.getKey(), e.getValue()));
            } else {
                strategy.set("name", value);
            }
            return;
        }
        String[] path = key.split("\\.");
        ObjectNode at = exp;
        for (int i = 0; i < path.length - 1; i++) {
            at = at.get(path[i]) instanceof ObjectNode o ? o : at.putObject(path[i]);
        }
        at.set(path[path.length - 1], value);
    }

    private static String last(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /** A value as it appears in a run name: scalars as they are, lists and mappings their values joined by '_'. */
    private static String shown(JsonNode v) {
        if (v.isContainerNode()) {
            List<String> items = new ArrayList<>();
            v.elements().forEachRemaining(e -> items.add(shown(e)));
            return String.join("_", items);
        }
        return v.asText();
    }
}

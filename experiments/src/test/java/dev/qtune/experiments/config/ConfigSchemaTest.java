package dev.qtune.experiments.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qtune.compiler.quant.ActivationMode;
import dev.qtune.compiler.quant.CalibrationMode;
import dev.qtune.compiler.quant.Granularity;
import dev.qtune.compiler.quant.QuantConfigException;
import dev.qtune.compiler.quant.QuantConfigNode;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.compiler.quant.QuantConfigWriter;
import dev.qtune.compiler.quant.Rounding;
import dev.qtune.compiler.quant.WeightScaleMode;
import dev.qtune.search.loop.FailureRule;
import dev.qtune.search.space.GeneKind;
import dev.qtune.search.strategy.AcquisitionKind;
import dev.qtune.search.strategy.StrategySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/schemas/ against the readers: every shipped experiment file and quant config is valid under
 * its schema (and read by its reader; a quant config also as a search writes it back); at every mapping of both formats the schema allows exactly
 * the keys the reader allows (the reader's "unknown key; allowed keys: ..." error lists them); the
 * enums are the readers' values; and named bad files are rejected by both, named good ones accepted
 * by both.
 */
class ConfigSchemaTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String MODEL =
            ROOT.resolve("models").resolve("mlp_mnist.onnx").toString();
    private static final String MINIMAL =
            "name: t\nmodel: '" + MODEL + "'\ndataset: {name: mnist}\nbudget: {trials: 5}\n";
    private static final String UNKNOWN = "zz_unknown";

    @BeforeAll
    static void installationRoot() {
        System.setProperty("qtune.root", ROOT.toString());
    }

    /** The shipped files that are a script's template, with the placeholders the script fills in. */
    private static final Map<String, Map<String, String>> TEMPLATES = Map.of(
            "efficiency.yaml", Map.of("STRATEGY", "nsga2", "SEED", "1", "TRIALS", "40"), // scripts/search-efficiency.sh
            "efficiency-holdout.yaml", Map.of("STRATEGY", "random", "SEED", "2", "TRIALS", "200"),
            "efficiency-w4.yaml", Map.of("STRATEGY", "bayesian", "SEED", "3", "TRIALS", "40"),
            "throughput.yaml", Map.of("EXECUTOR", "{type: local, workers: 2}")); // scripts/spark-throughput.sh

    @Test
    void everyShippedExperimentFileIsValidAndReads() throws IOException {
        List<Path> files = yamlFiles(Path.of("configs"));
        assertTrue(files.size() >= 5, "shipped experiment files: " + files);
        for (Path f : files) {
            String yaml = Files.readString(f);
            for (Map.Entry<String, String> fill :
                    TEMPLATES.getOrDefault(f.getFileName().toString(), Map.of()).entrySet()) {
                assertTrue(yaml.contains(fill.getKey()), f + " has no " + fill.getKey() + " to fill in");
                yaml = yaml.replace(fill.getKey(), fill.getValue());
            }
            assertEquals(List.of(), ConfigSchemas.EXPERIMENT.errors(yaml), f.toString());
            if (yaml.contains("\nsweep:")) {
                SweepReader.parse(yaml, f);
            } else {
                ExperimentReader.parse(yaml, f);
            }
        }
    }

    @Test
    void everyShippedQuantConfigIsValidAndReads() throws IOException {
        List<Path> files = yamlFiles(Path.of("qconfigs"));
        assertTrue(files.size() >= 8, "shipped quant configs: " + files);
        for (Path f : files) {
            assertEquals(List.of(), ConfigSchemas.QCONFIG.errors(Files.readString(f)), f.toString());
            String written = QuantConfigWriter.toYaml(QuantConfigReader.read(f), "as a search writes best/*.yaml");
            assertEquals(List.of(), ConfigSchemas.QCONFIG.errors(written), f + ", written back:\n" + written);
        }
    }

    /** Each place a mapping can be in an experiment file: the schema's pointer and a file with an unknown key there. */
    private static final List<Place> EXPERIMENT_PLACES = List.of(
            new Place("", MINIMAL + UNKNOWN + ": 1\n"),
            new Place("/properties/dataset", MINIMAL.replace("{name: mnist}", "{name: mnist, " + UNKNOWN + ": 1}")),
            new Place("/properties/metric", MINIMAL + "metric: {top_k: 5, " + UNKNOWN + ": 1}\n"),
            new Place("/properties/space", MINIMAL + "space: {" + UNKNOWN + ": 1}\n"),
            new Place(
                    "/properties/space/properties/fixed/items",
                    MINIMAL + "space: {fixed: [{match: '*', " + UNKNOWN + ": 1}]}\n"),
            new Place("/properties/strategy", MINIMAL + "strategy: {name: nsga2, " + UNKNOWN + ": 1}\n"),
            new Place("/properties/budget", MINIMAL.replace("{trials: 5}", "{trials: 5, " + UNKNOWN + ": 1}")),
            new Place(
                    "/properties/budget/properties/exit",
                    MINIMAL.replace("{trials: 5}", "{trials: 5, exit: {" + UNKNOWN + ": 1}}")),
            new Place(
                    "/properties/budget/properties/exit/properties/max_drop",
                    MINIMAL.replace("{trials: 5}", "{trials: 5, exit: {max_drop: {" + UNKNOWN + ": 1}}}")),
            new Place("/properties/constraints", MINIMAL + "constraints: {" + UNKNOWN + ": 1}\n"),
            new Place(
                    "/properties/constraints/properties/max_drop",
                    MINIMAL + "constraints: {max_drop: {" + UNKNOWN + ": 1}}\n"),
            new Place("/properties/measure", MINIMAL + "measure: {" + UNKNOWN + ": 1}\n"),
            new Place("/properties/executor", MINIMAL + "executor: {" + UNKNOWN + ": 1}\n"),
            new Place("/properties/baselines/items", MINIMAL + "baselines: [{" + UNKNOWN + ": 1}]\n"));

    private static final List<Place> QCONFIG_PLACES = List.of(
            new Place("", UNKNOWN + ": 1\n"),
            new Place("/properties/defaults", "defaults: {" + UNKNOWN + ": 1}\n"),
            new Place("/properties/layers/items", "layers: [{match: x, weight_bits: 4, " + UNKNOWN + ": 1}]\n"),
            new Place("/properties/schedule", "schedule: {" + UNKNOWN + ": 1}\n"),
            new Place(
                    "/properties/schedule/properties/layers/additionalProperties",
                    "schedule: {layers: {/conv/Conv: {" + UNKNOWN + ": 1}}}\n"));

    @Test
    void schemaAndReaderAllowTheSameKeysAtEveryMapping() {
        for (Place p : EXPERIMENT_PLACES) {
            QuantConfigException e = assertThrows(
                    QuantConfigException.class, () -> ExperimentReader.parse(p.yaml(), Path.of("x.yaml")), p.pointer());
            assertEquals(
                    readerKeys(e), new TreeSet<>(ConfigSchemas.EXPERIMENT.keys(p.pointer())), "keys at " + p.pointer());
            assertFalse(
                    ConfigSchemas.EXPERIMENT.errors(p.yaml()).isEmpty(),
                    "the schema accepts " + UNKNOWN + " at " + p.pointer());
        }
        for (Place p : QCONFIG_PLACES) {
            QuantConfigException e = assertThrows(
                    QuantConfigException.class, () -> QuantConfigReader.parse(p.yaml(), "x.yaml"), p.pointer());
            assertEquals(
                    readerKeys(e), new TreeSet<>(ConfigSchemas.QCONFIG.keys(p.pointer())), "keys at " + p.pointer());
            assertFalse(
                    ConfigSchemas.QCONFIG.errors(p.yaml()).isEmpty(),
                    "the schema accepts " + UNKNOWN + " at " + p.pointer());
        }
    }

    @Test
    void schemaEnumsAreTheReadersValues() {
        JsonNode q = ConfigSchemas.QCONFIG.root().path("$defs");
        assertEquals(QuantConfigNode.yamlNames(CalibrationMode.class), strings(q.at("/calibration/enum")));
        assertEquals(QuantConfigNode.yamlNames(WeightScaleMode.class), strings(q.at("/weight_scale/enum")));
        assertEquals(QuantConfigNode.yamlNames(Granularity.class), strings(q.at("/granularity/enum")));
        assertEquals(QuantConfigNode.yamlNames(Rounding.class), strings(q.at("/rounding/enum")));
        assertEquals(QuantConfigNode.yamlNames(ActivationMode.class), strings(q.at("/activation_mode/enum")));
        JsonNode e = ConfigSchemas.EXPERIMENT.root().path("properties");
        assertEquals(new TreeSet<>(StrategySpec.NAMES), new TreeSet<>(strings(e.at("/strategy/properties/name/enum"))));
        assertEquals(
                new TreeSet<>(AcquisitionKind.labels()),
                new TreeSet<>(strings(e.at("/strategy/properties/acquisition/enum"))));
        assertEquals(QuantConfigNode.yamlNames(FailureRule.class), strings(e.at("/on_failure/enum")));
        for (GeneKind kind : GeneKind.values()) {
            Set<String> values = new LinkedHashSet<>();
            e.at("/space/properties/" + kind.label() + "/items/enum").forEach(v -> values.add(v.asText()));
            assertEquals(new TreeSet<>(kind.legalValues()), new TreeSet<>(values), "space." + kind.label());
        }
    }

    /** Named experiment files that both the schema and the reader refuse (the unknown-key ones are above). */
    private static final List<Case> BAD_EXPERIMENTS = List.of(
            new Case("no budget", MINIMAL.replace("budget: {trials: 5}\n", "")),
            new Case("zero trials", MINIMAL.replace("trials: 5", "trials: 0")),
            new Case("name leaves runs/", MINIMAL.replace("name: t", "name: ../../etc")),
            new Case("a strategy that does not exist", MINIMAL + "strategy: {name: ga}\n"),
            new Case("a strategy without a name", MINIMAL + "strategy: {batch_size: 4}\n"),
            new Case("a weight width out of range", MINIMAL + "space: {weight_bits: [8, 9]}\n"),
            new Case("an empty list of values", MINIMAL + "space: {calibration: []}\n"),
            new Case("a repeated value", MINIMAL + "space: {granularity: [per_tensor, per_tensor]}\n"),
            new Case("objectives out of order", MINIMAL + "objectives: [latency, accuracy]\n"),
            new Case("both absolute and relative", MINIMAL + "constraints: {max_drop: {absolute: 1, relative: 0.1}}\n"),
            new Case("a relative drop above 1", MINIMAL + "constraints: {max_drop: {relative: 1.5}}\n"),
            new Case("an unknown metric", MINIMAL + "metric: top5\n"),
            new Case("top_k and command", MINIMAL + "metric: {top_k: 5, command: [python3]}\n"),
            new Case("timeout without a command", MINIMAL + "metric: {top_k: 5, timeout_s: 3}\n"),
            new Case("a metric name with a space", MINIMAL + "metric: {command: [python3, m.py], name: 'my metric'}\n"),
            new Case("a master for local threads", MINIMAL + "executor: {type: local, master: 'local[2]'}\n"),
            new Case("a master Spark does not know", MINIMAL + "executor: {master: 'locale[2]'}\n"),
            new Case("too many workers", MINIMAL + "executor: {workers: 1000}\n"),
            new Case("a baseline without a file", MINIMAL + "baselines: [{label: x}]\n"),
            new Case("a negative seed", MINIMAL + "seed: -1\n"),
            new Case("a bench time above 60 s", MINIMAL + "measure: {bench_seconds: 61}\n"),
            new Case("on_failure retry", MINIMAL + "on_failure: retry\n"));

    /** Named experiment files both accept. */
    private static final List<Case> GOOD_EXPERIMENTS = List.of(
            new Case("minimal", MINIMAL),
            new Case("top_k", MINIMAL + "metric: {top_k: 5}\n"),
            new Case(
                    "a command metric", MINIMAL + "metric: {command: [python3, m.py], timeout_s: 60, name: my_top1}\n"),
            new Case("bits as strings", MINIMAL + "space: {weight_bits: ['8', 4], skip: ['false', true]}\n"),
            new Case("three objectives", MINIMAL + "objectives: [accuracy, latency, size]\n"),
            new Case(
                    "an exit rule",
                    MINIMAL.replace(
                            "{trials: 5}", "{trials: 5, exit: {max_drop: {relative: 0.01}, " + "latency_ratio: 0.8}}")),
            new Case(
                    "fixed layers",
                    MINIMAL + "space: {schedule: true, fixed: [{match: 're:/fc.*', weight_bits: 8, oc_block: 8}]}\n"),
            new Case("an empty measure", MINIMAL + "measure:\n"),
            new Case(
                    "spark on a cluster", MINIMAL + "executor: {type: spark, workers: 4, master: 'spark://h:7077'}\n"));

    private static final List<Case> BAD_QCONFIGS = List.of(
            new Case("weight_bits 9", "defaults: {weight_bits: 9}\n"),
            new Case("activation_bits 12", "defaults: {activation_bits: 12}\n"),
            new Case("bits as a string", "defaults: {weight_bits: '8'}\n"),
            new Case("a calibration that does not exist", "defaults: {activation_calibration: entropy}\n"),
            new Case("an override without match", "layers: [{weight_bits: 4}]\n"),
            new Case("an override that sets nothing", "layers: [{match: '/fc/Gemm'}]\n"),
            new Case("an empty pattern", "layers: [{match: '', skip: true}]\n"),
            new Case("percentile 0", "defaults: {percentile: 0}\n"),
            new Case("a negative global scale", "global_scale: -1\n"),
            new Case("defaults as a list", "defaults: [weight_bits]\n"),
            new Case("zero calibration samples", "calibration_samples: 0\n"));

    private static final List<Case> GOOD_QCONFIGS = List.of(
            new Case("empty", ""),
            new Case("keys without values", "defaults:\nlayers:\n"),
            new Case("int16 activations", "defaults: {activation_bits: 16, activation_mode: asymmetric}\n"),
            new Case(
                    "overrides",
                    "layers:\n  - {match: '/layer3/*', weight_bits: 4}\n  - {match: 're:/fc.*', skip: true}\n"),
            new Case(
                    "every top-level key",
                    "calibration_samples: 500\nglobal_scale: 8.0\nallow_fp32_islands: false\n"
                            + "boundary_calibration: max\n"));

    @Test
    void namedBadFilesAreRejectedByBothAndGoodOnesAcceptedByBoth() {
        for (Case c : BAD_EXPERIMENTS) {
            assertThrows(
                    QuantConfigException.class, () -> ExperimentReader.parse(c.yaml(), Path.of("x.yaml")), c.name());
            assertFalse(ConfigSchemas.EXPERIMENT.errors(c.yaml()).isEmpty(), "the schema accepts: " + c.name());
        }
        for (Case c : GOOD_EXPERIMENTS) {
            assertNotNull(ExperimentReader.parse(c.yaml(), Path.of("x.yaml")), c.name());
            assertEquals(List.of(), ConfigSchemas.EXPERIMENT.errors(c.yaml()), c.name());
        }
        for (Case c : BAD_QCONFIGS) {
            assertThrows(QuantConfigException.class, () -> QuantConfigReader.parse(c.yaml(), "x.yaml"), c.name());
            assertFalse(ConfigSchemas.QCONFIG.errors(c.yaml()).isEmpty(), "the schema accepts: " + c.name());
        }
        for (Case c : GOOD_QCONFIGS) {
            assertNotNull(QuantConfigReader.parse(c.yaml(), "x.yaml"), c.name());
            assertEquals(List.of(), ConfigSchemas.QCONFIG.errors(c.yaml()), c.name());
        }
    }

    private record Place(String pointer, String yaml) {}

    private record Case(String name, String yaml) {}

    /** The keys a reader's unknown-key error lists. */
    private static Set<String> readerKeys(QuantConfigException e) {
        String marker = "unknown key; allowed keys: ";
        int at = e.getMessage().indexOf(marker);
        assertTrue(at > 0 && e.getMessage().contains(UNKNOWN), "not the unknown-key error: " + e.getMessage());
        return new TreeSet<>(
                List.of(e.getMessage().substring(at + marker.length()).split(", ")));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        assertFalse(out.isEmpty(), "no enum there");
        return out;
    }

    private static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}

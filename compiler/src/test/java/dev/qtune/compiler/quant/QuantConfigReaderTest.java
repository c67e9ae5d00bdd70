package dev.qtune.compiler.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.pass.PassPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantConfigReaderTest {
    static final Path EXAMPLES = Path.of("..", "experiments", "qconfigs");
    static final Path DOCS = Path.of("..", "docs", "config.md");

    /** Node names of resnet8_fashion's quantizable layers, as `qtune inspect` shows them. */
    static final List<String> RESNET8 = List.of(
            "/conv/Conv",
            "/layer1/conv1/Conv",
            "/layer1/conv2/Conv",
            "/layer2/conv1/Conv",
            "/layer2/conv2/Conv",
            "/layer2/shortcut/shortcut.0/Conv",
            "/layer3/conv1/Conv",
            "/layer3/conv2/Conv",
            "/layer3/shortcut/shortcut.0/Conv",
            "/fc/Gemm");

    static QuantConfig parse(String yaml) {
        return QuantConfigReader.parse(yaml, "x.yaml");
    }

    /** The one-line message of the error that parsing {@code yaml} (as x.yaml) must raise. */
    static String fails(String yaml) {
        QuantConfigException e = assertThrows(QuantConfigException.class, () -> parse(yaml));
        assertFalse(e.getMessage().contains("\n"), "message must be one line: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("x.yaml: "), "message must name the file: " + e.getMessage());
        return e.getMessage();
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            List<Path> yaml =
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertTrue(yaml.size() >= 6, "expected the example configs in " + EXAMPLES.toAbsolutePath());
            return yaml.stream();
        }
    }

    static List<String> quantizableLayers(String model) {
        return AnnotateRules.quantizableLayers(PassPipeline.prerequisites().run(Fixtures.load(model)));
    }

    // ---- example configs ----

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleConfigParsesAndNamesItsFile(Path file) throws IOException {
        QuantConfig c = QuantConfigReader.read(file);
        assertEquals(file.toString(), c.source());
        assertEquals(1000, c.calibrationSamples());
        assertTrue(Files.readAllLines(file).get(0).startsWith("#"), file + " must start with a comment header");
    }

    @Test
    void exampleConfigsSayWhatTheirNamesSay() {
        LayerQuantConfig max = read("int8_max.yaml").defaults();
        assertEquals(
                new LayerQuantConfig(
                        8,
                        8,
                        WeightScaleMode.MAX,
                        Granularity.PER_CHANNEL,
                        CalibrationMode.MAX,
                        99.99,
                        false,
                        Rounding.UPWARD),
                max);
        LayerQuantConfig power2 = read("int8_power2.yaml").defaults();
        assertEquals(
                new LayerQuantConfig(
                        8,
                        8,
                        WeightScaleMode.POWER2,
                        Granularity.PER_TENSOR,
                        CalibrationMode.POWER2,
                        99.99,
                        false,
                        Rounding.UPWARD),
                power2);
        assertEquals(LayerQuantConfig.DEFAULT, read("int8_kl.yaml").defaults());
        LayerQuantConfig percentile = read("int8_percentile.yaml").defaults();
        assertEquals(CalibrationMode.PERCENTILE, percentile.activationCalibration());
        assertEquals(99.99, percentile.percentile());
        LayerQuantConfig w4a8 = read("w4a8.yaml").defaults();
        assertEquals(
                new LayerQuantConfig(
                        4,
                        8,
                        WeightScaleMode.MAX,
                        Granularity.PER_CHANNEL,
                        CalibrationMode.KL,
                        99.99,
                        false,
                        Rounding.UPWARD),
                w4a8);
    }

    @ParameterizedTest
    @CsvSource({
        "mixed_fp32_ends.yaml, " + Fixtures.RESNET,
        "mixed_fp32_ends.yaml, " + Fixtures.LENET,
        "mixed_fp32_ends_mlp.yaml, " + Fixtures.MLP
    })
    void mixedConfigsKeepExactlyTheFirstAndLastLayerInFp32(String file, String model) {
        QuantConfig c = read(file);
        List<String> layers = quantizableLayers(model);
        c.checkPatterns(layers);
        for (int i = 0; i < layers.size(); i++) {
            boolean end = i == 0 || i == layers.size() - 1;
            LayerQuantConfig lc = c.forLayer(layers.get(i));
            assertEquals(end, lc.skip(), model + " layer " + layers.get(i));
            assertEquals(CalibrationMode.KL, lc.activationCalibration());
        }
    }

    @Test
    void mixedConvConfigOnTheMlpFailsNamingTheUnmatchedPattern() {
        QuantConfig c = read("mixed_fp32_ends.yaml");
        QuantConfigException e =
                assertThrows(QuantConfigException.class, () -> c.checkPatterns(quantizableLayers(Fixtures.MLP)));
        assertEquals(
                EXAMPLES.resolve("mixed_fp32_ends.yaml") + ": layers[0].match: pattern 're:/conv1?/Conv' matches "
                        + "no quantizable layer; layers are: /fc1/Gemm, /fc2/Gemm, /fc3/Gemm",
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "int8_max.yaml",
                "int8_power2.yaml",
                "int8_kl.yaml",
                "int8_percentile.yaml",
                "int8_asym_percentile.yaml",
                "w4a8.yaml"
            })
    void uniformExamplesFitEveryReferenceModel(String file) {
        QuantConfig c = read(file);
        for (String model : List.of(Fixtures.RESNET, Fixtures.LENET, Fixtures.MLP)) {
            c.checkPatterns(quantizableLayers(model));
        }
    }

    @Test
    void resnetNodeNamesInThisTestAreTheModelsQuantizableLayers() {
        assertEquals(RESNET8, quantizableLayers(Fixtures.RESNET));
    }

    private static QuantConfig read(String file) {
        return QuantConfigReader.read(EXAMPLES.resolve(file));
    }

    // ---- defaults, overrides, patterns ----

    @ParameterizedTest
    @ValueSource(strings = {"", "# nothing but a comment\n", "defaults:\n", "layers:\n", "layers: []\ndefaults: {}\n"})
    void emptyConfigGivesAllDefaults(String yaml) {
        QuantConfig c = parse(yaml);
        assertEquals(LayerQuantConfig.DEFAULT, c.defaults());
        assertEquals(List.of(), c.layers());
        assertEquals(QuantConfig.DEFAULT_CALIBRATION_SAMPLES, c.calibrationSamples());
        assertTrue(c.globalScale().isEmpty());
        assertTrue(c.allowFp32Islands());
        assertTrue(c.boundaryCalibration().isEmpty());
        assertEquals("x.yaml", c.source());
    }

    @Test
    void everyKeyIsRead() {
        QuantConfig c = parse("""
                calibration_samples: 256
                global_scale: 8
                allow_fp32_islands: false
                boundary_calibration: percentile
                defaults:
                  weight_bits: 6
                  activation_bits: 16
                  weight_scale: power2
                  granularity: per_tensor
                  activation_calibration: global_scale
                  percentile: 99.9
                  skip: false
                  rounding: tonearest
                """);
        assertEquals(
                new LayerQuantConfig(
                        6,
                        16,
                        WeightScaleMode.POWER2,
                        Granularity.PER_TENSOR,
                        CalibrationMode.GLOBAL_SCALE,
                        99.9,
                        false,
                        Rounding.TONEAREST),
                c.defaults());
        assertEquals(256, c.calibrationSamples());
        assertEquals(8.0, c.globalScale().getAsDouble());
        assertFalse(c.allowFp32Islands());
        assertEquals(CalibrationMode.PERCENTILE, c.boundaryCalibration().orElseThrow());
    }

    @Test
    void laterOverridesWinAndUnsetKeysKeepEarlierValues() {
        QuantConfig c = parse("""
                defaults:
                  activation_calibration: max
                layers:
                  - match: "/layer3/*"
                    weight_bits: 4
                    granularity: per_tensor
                  - match: "/layer3/conv2/Conv"
                    weight_bits: 6
                  - match: "/fc/Gemm"
                    skip: true
                """);
        LayerQuantConfig conv2 = c.forLayer("/layer3/conv2/Conv");
        assertEquals(6, conv2.weightBits());
        assertEquals(Granularity.PER_TENSOR, conv2.granularity());
        assertEquals(CalibrationMode.MAX, conv2.activationCalibration());
        assertEquals(4, c.forLayer("/layer3/conv1/Conv").weightBits());
        assertEquals(8, c.forLayer("/layer2/conv2/Conv").weightBits());
        assertTrue(c.forLayer("/fc/Gemm").skip());
        assertFalse(c.forLayer("/conv/Conv").skip());

        QuantConfig reversed = parse("""
                layers:
                  - match: "/layer3/conv2/Conv"
                    weight_bits: 6
                  - match: "/layer3/*"
                    weight_bits: 4
                """);
        assertEquals(4, reversed.forLayer("/layer3/conv2/Conv").weightBits());
    }

    @Test
    void globsAndRegexesSelectLayersOfARealModel() {
        QuantConfig c = parse("""
                layers:
                  - match: "/layer?/conv1/Conv"
                    weight_bits: 7
                  - match: "*shortcut*"
                    weight_bits: 5
                  - match: "re:/layer[23]/conv2/Conv"
                    weight_bits: 3
                  - match: "re:/conv1?/Conv"
                    skip: true
                  - match: "/fc/Gemm"
                    activation_bits: 16
                """);
        c.checkPatterns(RESNET8);
        List<Integer> bits =
                RESNET8.stream().map(n -> c.forLayer(n).weightBits()).toList();
        assertEquals(List.of(8, 7, 8, 7, 3, 5, 7, 3, 5, 8), bits);
        List<String> skipped =
                RESNET8.stream().filter(n -> c.forLayer(n).skip()).toList();
        assertEquals(List.of("/conv/Conv"), skipped, "patterns match the whole name, not a part of it");
        assertEquals(16, c.forLayer("/fc/Gemm").activationBits());
        assertEquals(8, c.forLayer("/layer3/conv1/Conv").activationBits());
    }

    @Test
    void patternThatMatchesNoLayerFailsNamingFileKeyPatternAndLayers() {
        QuantConfig c = parse("""
                layers:
                  - match: "/fc/Gemm"
                    skip: true
                  - match: "/layer4/*"
                    weight_bits: 4
                """);
        QuantConfigException e = assertThrows(QuantConfigException.class, () -> c.checkPatterns(RESNET8));
        assertEquals(
                "x.yaml: layers[1].match: pattern '/layer4/*' matches no quantizable layer; layers are: "
                        + String.join(", ", RESNET8),
                e.getMessage());
        assertTrue(e instanceof QtuneException);
    }

    // ---- docs/config.md stays in step ----

    @Test
    void docsListEveryKeyAndEveryEnumValue() throws IOException {
        String doc = Files.readString(DOCS);
        List<String> keys = new ArrayList<>(QuantConfigReader.TOP_KEYS);
        keys.addAll(QuantConfigReader.OVERRIDE_KEYS);
        for (Class<? extends Enum<?>> type :
                List.of(WeightScaleMode.class, Granularity.class, CalibrationMode.class, Rounding.class)) {
            for (Enum<?> e : type.getEnumConstants()) {
                keys.add(QuantConfigNode.yamlName(e));
            }
        }
        for (String key : keys) {
            assertTrue(doc.contains("`" + key + "`"), DOCS + " must document `" + key + "`");
        }
    }

    @Test
    void docsExampleParsesAndMatchesResnet8() throws IOException {
        String doc = Files.readString(DOCS);
        int start = doc.indexOf("```yaml\n", doc.indexOf("### Example")) + "```yaml\n".length();
        String yaml = doc.substring(start, doc.indexOf("```", start));
        QuantConfig c = QuantConfigReader.parse(yaml, "config.md");
        c.checkPatterns(RESNET8);
        assertEquals(4, c.forLayer("/layer3/conv1/Conv").weightBits());
        assertEquals(8, c.forLayer("/layer3/shortcut/shortcut.0/Conv").weightBits());
        assertTrue(c.forLayer("/fc/Gemm").skip());
    }

    @Test
    void activationModeIsReadAtDefaultsAndPerLayer() {
        QuantConfig c = QuantConfigReader.parse(
                "defaults:\n  activation_mode: asymmetric\nlayers:\n"
                        + "  - match: /fc/Gemm\n    activation_mode: symmetric\n",
                "x.yaml");
        assertEquals(ActivationMode.ASYMMETRIC, c.forLayer("/conv/Conv").activationMode());
        assertEquals(ActivationMode.SYMMETRIC, c.forLayer("/fc/Gemm").activationMode());
        assertEquals(
                ActivationMode.SYMMETRIC,
                QuantConfigReader.parse("", "empty.yaml").forLayer("/conv/Conv").activationMode(),
                "symmetric by default");
        assertEquals(
                "x.yaml: layers[0].activation_mode: must be one of symmetric, asymmetric, but was 'affine'",
                fails("layers:\n  - match: /fc/Gemm\n    activation_mode: affine\n"));
    }

    @Test
    void sixteenBitActivationsStaySymmetricWhateverTheMode() {
        QuantConfig c =
                QuantConfigReader.parse("defaults:\n  activation_mode: asymmetric\n  activation_bits: 16\n", "x.yaml");
        assertFalse(c.forLayer("/conv/Conv").asymmetricActivations());
        assertTrue(c.forLayer("/conv/Conv")
                        .withActivationMode(ActivationMode.ASYMMETRIC)
                        .activationMode()
                == ActivationMode.ASYMMETRIC);
    }

    // ---- the schedule section ----

    @Test
    void scheduleSectionGivesTargetAndStrictKnobValues() {
        QuantConfigFile f = QuantConfigReader.parseFile(
                "defaults:\n  weight_bits: 7\nschedule:\n  target: x86-avx2\n"
                        + "  layers:\n    /conv/Conv: {oc_block: 16, ow_tile: 4, dot: 8}\n    /fc/Gemm: {oc_block: 32}\n",
                "x.yaml");
        assertEquals(7, f.config().defaults().weightBits());
        assertEquals(Optional.of("x86-avx2"), f.scheduleTarget());
        assertEquals(
                Map.of("oc_block", 16, "ow_tile", 4, "dot", 8),
                f.schedule().layers().get("/conv/Conv"));
        assertEquals(Map.of("oc_block", 32), f.schedule().layers().get("/fc/Gemm"));
        assertFalse(f.schedule().lenient());
        assertEquals(
                f.config().defaults(),
                parse("defaults:\n  weight_bits: 7\nschedule:\n  layers: {}\n").defaults());
        assertFalse(QuantConfigReader.parseFile("schedule:\n", "x.yaml").hasSchedule());
        assertFalse(QuantConfigReader.parseFile("defaults:\n  weight_bits: 7\n", "x.yaml")
                .hasSchedule());
    }

    @Test
    void badScheduleSectionsNameTheKeyPath() {
        assertEquals(
                "x.yaml: schedule.layer: unknown key; allowed keys: target, layers", fails("schedule:\n  layer: {}\n"));
        assertEquals(
                "x.yaml: schedule.layers./conv/Conv.oc_blok: unknown key; allowed keys: oc_block, ow_tile, dot",
                fails("schedule:\n  layers:\n    /conv/Conv: {oc_blok: 16}\n"));
        assertEquals(
                "x.yaml: schedule.layers./conv/Conv.ow_tile: must be an integer a positive integer, but was '4'",
                fails("schedule:\n  layers:\n    /conv/Conv: {ow_tile: \"4\"}\n"));
        assertEquals(
                "x.yaml: schedule.layers./conv/Conv: must be a mapping of knob -> value with the knobs oc_block, "
                        + "ow_tile, dot, but was 16",
                fails("schedule:\n  layers:\n    /conv/Conv: 16\n"));
        assertEquals(
                "x.yaml: schedule.layers: must be a mapping of layer name -> {knob: value}, but was a list",
                fails("schedule:\n  layers: [a]\n"));
        assertEquals(
                "x.yaml: schedule.target: must be a target name (qtune targets lists them), but was 3",
                fails("schedule:\n  target: 3\n"));
    }

    // ---- errors ----

    @Test
    void unknownKeysAreNamedWithTheAllowedKeys() {
        assertEquals(
                "x.yaml: defaults.weight_bitz: unknown key; allowed keys: weight_bits, activation_bits, "
                        + "weight_scale, granularity, activation_calibration, percentile, skip, rounding, activation_mode",
                fails("defaults:\n  weight_bitz: 4\n"));
        assertEquals(
                "x.yaml: calibration_sample: unknown key; allowed keys: calibration_samples, global_scale, "
                        + "allow_fp32_islands, boundary_calibration, defaults, layers, schedule",
                fails("calibration_sample: 10\n"));
        assertEquals(
                "x.yaml: layers[0].mach: unknown key; allowed keys: match, weight_bits, activation_bits, "
                        + "weight_scale, granularity, activation_calibration, percentile, skip, rounding, activation_mode",
                fails("layers:\n  - mach: /fc/Gemm\n    skip: true\n"));
        assertTrue(fails("layers:\n  - match: /fc/Gemm\n    global_scale: 2\n")
                .startsWith("x.yaml: layers[0].global_scale: unknown key; allowed keys: match, "));
    }

    @Test
    void outOfRangeValuesNameTheKeyPathAndTheRange() {
        assertEquals("x.yaml: layers[1].weight_bits: must be in 2..8, but was 9", fails("""
                layers:
                  - match: a
                    skip: true
                  - match: b
                    weight_bits: 9
                """));
        assertEquals(
                "x.yaml: defaults.activation_bits: must be in 2..8 or 16, but was 12",
                fails("defaults:\n  activation_bits: 12\n"));
        assertEquals(
                "x.yaml: defaults.weight_bits: must be in 2..8, but was 1", fails("defaults:\n  weight_bits: 1\n"));
        assertEquals(
                "x.yaml: defaults.percentile: must be a finite number in (0, 100], but was 0",
                fails("defaults:\n  percentile: 0\n"));
        assertEquals(
                "x.yaml: defaults.percentile: must be a finite number in (0, 100], but was 100.5",
                fails("defaults:\n  percentile: 100.5\n"));
        assertEquals(
                "x.yaml: calibration_samples: must be in 1..1000000, but was 0", fails("calibration_samples: 0\n"));
        assertEquals(
                "x.yaml: calibration_samples: must be in 1..1000000, but was 99999999999",
                fails("calibration_samples: 99999999999\n"));
        assertEquals("x.yaml: global_scale: must be a finite number > 0, but was -1", fails("global_scale: -1\n"));
        assertEquals(
                "x.yaml: global_scale: must be a finite number > 0, but was Infinity", fails("global_scale: 1e400\n"));
        assertEquals(100.0, parse("defaults:\n  percentile: 100\n").defaults().percentile());
    }

    @Test
    void enumValuesListTheAllowedValues() {
        assertEquals(
                "x.yaml: defaults.activation_calibration: must be one of max, power2, kl, percentile, mse, "
                        + "global_scale, but was 'entropy'",
                fails("defaults:\n  activation_calibration: entropy\n"));
        assertEquals(
                "x.yaml: defaults.granularity: must be one of per_tensor, per_channel, but was 'PER_CHANNEL'",
                fails("defaults:\n  granularity: PER_CHANNEL\n"));
        assertEquals(
                "x.yaml: layers[0].weight_scale: must be one of max, power2, but was 'pow2'",
                fails("layers:\n  - match: a\n    weight_scale: pow2\n"));
        assertEquals(
                "x.yaml: defaults.rounding: must be one of upward, tonearest, but was 'nearest'",
                fails("defaults:\n  rounding: nearest\n"));
        assertEquals(
                "x.yaml: boundary_calibration: must be one of max, power2, kl, percentile, mse, global_scale, "
                        + "but was 3",
                fails("boundary_calibration: 3\n"));
    }

    @Test
    void wrongTypesSayWhatWasExpected() {
        assertEquals(
                "x.yaml: defaults.weight_bits: must be an integer in 2..8, but was '8'",
                fails("defaults:\n  weight_bits: \"8\"\n"));
        assertEquals(
                "x.yaml: defaults.weight_bits: must be an integer in 2..8, but was 8.0",
                fails("defaults:\n  weight_bits: 8.0\n"));
        assertEquals(
                "x.yaml: defaults.activation_bits: must be an integer in 2..8 or 16, but was empty (no value)",
                fails("defaults:\n  activation_bits:\n"));
        assertEquals(
                "x.yaml: defaults.percentile: must be a number in (0, 100], but was 'high'",
                fails("defaults:\n  percentile: high\n"));
        assertEquals("x.yaml: global_scale: must be a number > 0, but was '8.0'", fails("global_scale: '8.0'\n"));
        assertEquals(
                "x.yaml: layers[0].skip: must be true or false, but was 1",
                fails("layers:\n  - match: a\n    skip: 1\n"));
        assertEquals(
                "x.yaml: allow_fp32_islands: must be true or false, but was 'sometimes'",
                fails("allow_fp32_islands: sometimes\n"));
        assertTrue(fails("defaults:\n  - weight_bits: 4\n")
                .startsWith("x.yaml: defaults: must be a mapping with the keys weight_bits, activation_bits, "));
        assertTrue(fails("defaults: 4\n").endsWith(", but was 4"));
        assertTrue(
                fails("layers:\n  match: a\n  skip: true\n")
                        .matches(
                                "x\\.yaml: layers: must be a list of overrides, each a mapping with the keys match, .*, but was a mapping"));
        assertTrue(fails("layers:\n  - /fc/Gemm\n")
                .matches(
                        "x\\.yaml: layers\\[0\\]: must be a mapping with the keys " + "match, .*, but was '/fc/Gemm'"));
        assertTrue(fails("- a\n- b\n")
                .matches("x\\.yaml: \\(top level\\): must be a mapping with the keys "
                        + "calibration_samples, .*, but was a list"));
        assertTrue(fails("just a string\n").endsWith("but was 'just a string'"));
    }

    @Test
    void overridesNeedAValidMatchAndSomethingToSet() {
        assertEquals(
                "x.yaml: layers[0].match: must be given: a node name, a glob (*, ?) or re:<regex>, but was missing",
                fails("layers:\n  - weight_bits: 4\n"));
        assertEquals(
                "x.yaml: layers[0].match: must be a string (quote it): a node name, a glob (*, ?) or re:<regex>, "
                        + "but was 12",
                fails("layers:\n  - match: 12\n    skip: true\n"));
        assertEquals(
                "x.yaml: layers[0].match: must be a node name, a glob (*, ?) or re:<regex>, not empty, but was ''",
                fails("layers:\n  - match: ''\n    skip: true\n"));
        assertEquals(
                "x.yaml: layers[0].match: must be re: followed by a valid Java regular expression, but was "
                        + "'re:/(conv' (Unclosed group at index 9)",
                fails("layers:\n  - match: 're:/(conv'\n    skip: true\n"));
        assertEquals(
                "x.yaml: layers[1]: must set at least one of weight_bits, activation_bits, weight_scale, "
                        + "granularity, activation_calibration, percentile, skip, rounding, activation_mode besides match, but was "
                        + "an override "
                        + "of '/fc/Gemm' that sets nothing",
                fails("layers:\n  - match: a\n    skip: true\n  - match: /fc/Gemm\n"));
    }

    @Test
    void globalScaleCalibrationNeedsAGlobalScale() {
        assertEquals(
                "x.yaml: defaults.activation_calibration: global_scale calibration needs the top-level key "
                        + "global_scale (a number > 0), but global_scale was not set",
                fails("defaults:\n  activation_calibration: global_scale\n"));
        assertTrue(fails("layers:\n  - match: a\n    activation_calibration: global_scale\n")
                .startsWith("x.yaml: layers[0].activation_calibration: global_scale calibration needs "));
        assertTrue(fails("boundary_calibration: global_scale\n")
                .startsWith("x.yaml: boundary_calibration: global_scale calibration needs "));
        QuantConfig c = parse("global_scale: 8.0\nlayers:\n  - match: a\n    activation_calibration: global_scale\n");
        assertEquals(CalibrationMode.GLOBAL_SCALE, c.forLayer("a").activationCalibration());
        assertEquals(8.0, c.globalScale().getAsDouble());
    }

    @Test
    void skipWithoutFp32IslandsNamesTheLayerPattern() {
        assertEquals(
                "x.yaml: layers[1].skip: must be false when allow_fp32_islands is false (every layer must be "
                        + "integer), but was true for layer pattern '/fc/Gemm'",
                fails("""
                allow_fp32_islands: false
                layers:
                  - match: /conv/Conv
                    skip: false
                  - match: /fc/Gemm
                    skip: true
                """));
        assertEquals(
                "x.yaml: defaults.skip: must be false when allow_fp32_islands is false (every layer must be "
                        + "integer), but was true for every layer",
                fails("allow_fp32_islands: false\ndefaults:\n  skip: true\n"));
        assertFalse(parse("allow_fp32_islands: false\ndefaults:\n  skip: false\n")
                .defaults()
                .skip());
    }

    @Test
    void invalidYamlNamesTheLine() {
        String m = fails("defaults:\n  weight_bits: 8: 9\n");
        assertTrue(m.startsWith("x.yaml: line 2, column "), m);
        assertTrue(m.contains("invalid YAML: mapping values are not allowed here"), m);
        String flow = fails("layers: [ {match: a, skip: true}\n");
        assertTrue(flow.startsWith("x.yaml: line 2, column 1: invalid YAML: expected ',' or ']'"), flow);
        assertTrue(flow.contains("line 1"), "names where the list began: " + flow);
        assertTrue(fails("defaults:\n\tweight_bits: 4\n").startsWith("x.yaml: line 2, column 1: invalid YAML: "));
    }

    @Test
    void duplicateKeysAliasesAndSecondDocumentsAreRejected() {
        String dup = fails("defaults:\n  weight_bits: 4\n  weight_bits: 6\n");
        assertTrue(
                dup.startsWith("x.yaml: line 3, column ") && dup.endsWith("invalid YAML: duplicate key 'weight_bits'"),
                dup);
        String alias = fails("global_scale: &s 4.0\ndefaults:\n  percentile: *s\n");
        assertTrue(
                alias.startsWith("x.yaml: line 3, column ") && alias.contains("aliases (*s) are not supported"), alias);
        String unquoted = fails("layers:\n  - match: */Conv\n    skip: true\n");
        assertTrue(
                unquoted.startsWith("x.yaml: line 2, column ")
                        && unquoted.endsWith("quote a value that starts with * " + "(match: \"*/Conv\")"),
                unquoted);
        String twoDocs = fails("calibration_samples: 10\n---\ncalibration_samples: 20\n");
        assertTrue(
                twoDocs.startsWith("x.yaml: line 3, column 1: invalid YAML: a single YAML document expected"), twoDocs);
    }

    @Test
    void readsAFileAndNamesItInErrors(@TempDir Path dir) throws IOException {
        Path ok = Files.writeString(dir.resolve("w4.yaml"), "defaults:\n  weight_bits: 4\n");
        assertEquals(4, QuantConfigReader.read(ok).defaults().weightBits());
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "defaults:\n  weight_bitz: 4\n");
        QuantConfigException e = assertThrows(QuantConfigException.class, () -> QuantConfigReader.read(bad));
        assertTrue(
                e.getMessage().startsWith(bad + ": defaults.weight_bitz: unknown key; allowed keys: "), e.getMessage());
    }

    @Test
    void missingFileDirectoryAndNonUtf8AreErrors(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nope.yaml");
        assertEquals(
                "quant config file not found: " + missing,
                assertThrows(QuantConfigException.class, () -> QuantConfigReader.read(missing))
                        .getMessage());
        String relative = assertThrows(
                        QuantConfigException.class, () -> QuantConfigReader.read(Path.of("no", "such.yaml")))
                .getMessage();
        assertTrue(
                relative.startsWith("quant config file not found: " + Path.of("no", "such.yaml") + " (resolved to /"),
                relative);
        assertTrue(assertThrows(QuantConfigException.class, () -> QuantConfigReader.read(dir))
                .getMessage()
                .startsWith(dir + ": must be a quant config file"));
        Path latin1 = Files.write(dir.resolve("latin1.yaml"), new byte[] {'#', ' ', (byte) 0xe9, '\n'});
        assertTrue(assertThrows(QuantConfigException.class, () -> QuantConfigReader.read(latin1))
                .getMessage()
                .startsWith(latin1 + ": must be UTF-8 text, but was not"));
    }
}

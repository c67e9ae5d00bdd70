package dev.qtune.compiler.quant;

import dev.qtune.compiler.InputLimits;
import dev.qtune.compiler.QtuneException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a quantization config file (YAML, documented in docs/config.md) into a {@link QuantConfig}.
 * Every key is optional; unknown keys are rejected. Every problem is a one-line
 * {@link QuantConfigException} "{@code <file>: <key.path>: <what was expected>, but was <found>}",
 * listing the allowed keys or values where there is a list. Patterns that match no layer of a
 * model are found later, by {@link QuantConfig#checkPatterns}, once the model is known.
 */
public final class QuantConfigReader {
    static final String CALIBRATION_SAMPLES = "calibration_samples";
    static final String GLOBAL_SCALE = "global_scale";
    static final String ALLOW_FP32_ISLANDS = "allow_fp32_islands";
    static final String BOUNDARY_CALIBRATION = "boundary_calibration";
    static final String DEFAULTS = "defaults";
    static final String LAYERS = "layers";
    static final String MATCH = "match";
    static final String SCHEDULE = "schedule";

    /** The top-level keys, in the order the docs list them. */
    static final List<String> TOP_KEYS = List.of(
            CALIBRATION_SAMPLES, GLOBAL_SCALE, ALLOW_FP32_ISLANDS, BOUNDARY_CALIBRATION, DEFAULTS, LAYERS, SCHEDULE);
    /** The keys of one {@code layers} entry: {@code match} and the per-layer keys. */
    static final List<String> OVERRIDE_KEYS = concat(List.of(MATCH), QuantConfigLayerKeys.KEYS);

    private static final String PATTERN_FORMS = "a node name, a glob (*, ?) or re:<regex>";

    private QuantConfigReader() {}

    /** Reads {@code file}'s quant config (its schedule section is checked, then left out); errors name the file as given. */
    public static QuantConfig read(Path file) {
        return readFile(file).config();
    }

    /** Reads {@code file}: the quant config and its schedule section; error messages name it as given. */
    public static QuantConfigFile readFile(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            String resolved = file.isAbsolute()
                    ? ""
                    : " (resolved to " + file.toAbsolutePath().normalize() + ")";
            throw new QuantConfigException("quant config file not found: " + file + resolved);
        }
        if (!Files.isRegularFile(file)) {
            throw new QuantConfigException(
                    file + ": must be a quant config file (YAML), but was a directory or special file");
        }
        String text;
        try {
            text = InputLimits.readConfigText(file, "quant config file");
        } catch (QuantConfigException e) {
            throw e;
        } catch (QtuneException e) {
            throw new QuantConfigException(e.getMessage());
        }
        return parseFile(text, file.toString());
    }

    /** Parses the YAML text {@code yaml}; {@code source} names it in error messages (usually its file). */
    public static QuantConfig parse(String yaml, String source) {
        return parseFile(yaml, source).config();
    }

    /** Parses the YAML text {@code yaml} with its schedule section; {@code source} names it in error messages. */
    public static QuantConfigFile parseFile(String yaml, String source) {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(source, "source");
        QuantConfigNode root = new QuantConfigNode(QuantConfigYaml.readTree(yaml, source), "", source);
        root.requireMapping(TOP_KEYS);
        int samples = root.get(CALIBRATION_SAMPLES)
                .map(n -> n.integer(
                        1, QuantConfig.MAX_CALIBRATION_SAMPLES, "in 1.." + QuantConfig.MAX_CALIBRATION_SAMPLES))
                .orElse(QuantConfig.DEFAULT_CALIBRATION_SAMPLES);
        OptionalDouble globalScale = root.get(GLOBAL_SCALE)
                .map(n -> OptionalDouble.of(n.number(v -> v > 0, "> 0")))
                .orElse(OptionalDouble.empty());
        boolean islands =
                root.get(ALLOW_FP32_ISLANDS).map(QuantConfigNode::bool).orElse(true);
        Optional<QuantConfigNode> boundaryNode = root.get(BOUNDARY_CALIBRATION);
        Optional<CalibrationMode> boundary = boundaryNode.map(n -> n.enumValue(CalibrationMode.class));
        boundaryNode.ifPresent(n -> checkGlobalScale(n, boundary.get(), globalScale));

        LayerQuantConfig defaults = root.get(DEFAULTS)
                .map(n -> readDefaults(n, globalScale, islands))
                .orElse(LayerQuantConfig.DEFAULT);
        List<LayerOverride> layers = new ArrayList<>();
        for (QuantConfigNode entry : root.get(LAYERS)
                .map(n -> n.elements("must be a list of overrides, each a mapping " + "with the keys "
                        + String.join(", ", OVERRIDE_KEYS)))
                .orElse(List.of())) {
            layers.add(readOverride(entry, globalScale, islands));
        }
        QuantConfig config = new QuantConfig(defaults, layers, samples, globalScale, islands, boundary, source);
        Optional<QuantConfigNode> schedule = root.get(SCHEDULE).filter(n -> !n.isNull());
        return schedule.isEmpty()
                ? QuantConfigFile.of(config)
                : new QuantConfigFile(
                        config, QuantConfigSchedule.read(schedule.get()), QuantConfigSchedule.target(schedule.get()));
    }

    private static LayerQuantConfig readDefaults(QuantConfigNode map, OptionalDouble globalScale, boolean islands) {
        map.requireMapping(QuantConfigLayerKeys.KEYS);
        LayerOverride given = QuantConfigLayerKeys.read(map, LayerPattern.parse("*"));
        checkLayerKeys(map, given, globalScale, islands, "for every layer");
        return given.applyTo(LayerQuantConfig.DEFAULT);
    }

    private static LayerOverride readOverride(QuantConfigNode entry, OptionalDouble globalScale, boolean islands) {
        entry.requireMapping(OVERRIDE_KEYS);
        LayerPattern pattern = readPattern(entry.require(MATCH, "must be given: " + PATTERN_FORMS));
        LayerOverride o = QuantConfigLayerKeys.read(entry, pattern);
        if (!QuantConfigLayerKeys.setsAnything(o)) {
            throw entry.error(
                    "must set at least one of " + String.join(", ", QuantConfigLayerKeys.KEYS) + " besides match",
                    "an override of '" + pattern.text() + "' that sets nothing");
        }
        checkLayerKeys(entry, o, globalScale, islands, "for layer pattern '" + pattern.text() + "'");
        return o;
    }

    private static LayerPattern readPattern(QuantConfigNode match) {
        String text = match.text("must be a string (quote it): " + PATTERN_FORMS);
        if (text.isEmpty() || text.equals("re:")) {
            throw match.error("must be " + PATTERN_FORMS + ", not empty");
        }
        if (text.startsWith("re:")) {
            try {
                Pattern.compile(text.substring(3));
            } catch (PatternSyntaxException e) {
                throw match.error(
                        "must be re: followed by a valid Java regular expression",
                        "'" + text + "' (" + e.getDescription()
                                + (e.getIndex() >= 0 ? " at index " + (e.getIndex() + 3) : "") + ")");
            }
        }
        return LayerPattern.parse(text);
    }

    /** The checks across keys: global_scale mode needs a global_scale; no skip without fp32 islands. */
    private static void checkLayerKeys(
            QuantConfigNode map, LayerOverride o, OptionalDouble globalScale, boolean islands, String scope) {
        if (o.activationCalibration().isPresent()) {
            checkGlobalScale(
                    map.get(QuantConfigLayerKeys.ACTIVATION_CALIBRATION).orElseThrow(),
                    o.activationCalibration().get(),
                    globalScale);
        }
        if (!islands && o.skip().orElse(false)) {
            throw map.get(QuantConfigLayerKeys.SKIP)
                    .orElseThrow()
                    .error(
                            "must be false when " + ALLOW_FP32_ISLANDS + " is false (every layer must be integer)",
                            "true " + scope);
        }
    }

    private static void checkGlobalScale(QuantConfigNode at, CalibrationMode mode, OptionalDouble globalScale) {
        if (mode == CalibrationMode.GLOBAL_SCALE && globalScale.isEmpty()) {
            throw at.problem("global_scale calibration needs the top-level key " + GLOBAL_SCALE
                    + " (a number > 0), but " + GLOBAL_SCALE + " was not set");
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }
}

package dev.qtune.compiler.quant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A quant config as YAML text that {@link QuantConfigReader} reads back to an equal config: the
 * global settings, every default key, and each override with only the keys it sets. The search
 * writes its Pareto front this way (run directory {@code best/*.yaml}, loadable by
 * {@code qtune eval --qconfig}).
 */
public final class QuantConfigWriter {
    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();

    private QuantConfigWriter() {}

    /** The YAML text of {@code config}, after an optional comment header (one "# " line per line of {@code comment}). */
    public static String toYaml(QuantConfig config, String comment) {
        return toYaml(QuantConfigFile.of(config), comment);
    }

    /**
     * The YAML text of a config file: the quant config, then (when it has one) the {@code schedule}
     * section with its target and every layer's knob values, after an optional comment header.
     */
    public static String toYaml(QuantConfigFile file, String comment) {
        QuantConfig config = file.config();
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put(QuantConfigReader.CALIBRATION_SAMPLES, config.calibrationSamples());
        root.put(QuantConfigReader.ALLOW_FP32_ISLANDS, config.allowFp32Islands());
        config.globalScale().ifPresent(s -> root.put(QuantConfigReader.GLOBAL_SCALE, s));
        config.boundaryCalibration()
                .ifPresent(m -> root.put(QuantConfigReader.BOUNDARY_CALIBRATION, QuantConfigNode.yamlName(m)));
        putKeys(root.putObject(QuantConfigReader.DEFAULTS), defaultsOverride(config.defaults()));
        if (!config.layers().isEmpty()) {
            var layers = root.putArray(QuantConfigReader.LAYERS);
            for (LayerOverride o : config.layers()) {
                ObjectNode l = layers.addObject();
                l.put(QuantConfigReader.MATCH, o.pattern().text());
                putKeys(l, o);
            }
        }
        putSchedule(root, file);
        StringBuilder out = new StringBuilder();
        if (comment != null && !comment.isBlank()) {
            comment.lines().forEach(line -> out.append("# ").append(line).append('\n'));
        }
        try {
            return out.append(MAPPER.writeValueAsString(root)).toString();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code defaults} section: every key of the defaults, as an override matching all layers. */
    private static LayerOverride defaultsOverride(LayerQuantConfig d) {
        return new LayerOverride(
                LayerPattern.parse("*"),
                OptionalInt.of(d.weightBits()),
                OptionalInt.of(d.activationBits()),
                Optional.of(d.weightScale()),
                Optional.of(d.granularity()),
                Optional.of(d.activationCalibration()),
                OptionalDouble.of(d.percentile()),
                Optional.of(d.skip()),
                Optional.of(d.rounding()),
                Optional.of(d.activationMode()));
    }

    /** The {@code schedule} section with its target and every layer's knob values, when the file has one. */
    private static void putSchedule(ObjectNode root, QuantConfigFile file) {
        if (!file.hasSchedule() && file.scheduleTarget().isEmpty()) {
            return;
        }
        ObjectNode schedule = root.putObject(QuantConfigReader.SCHEDULE);
        file.scheduleTarget().ifPresent(t -> schedule.put(QuantConfigSchedule.TARGET, t));
        ObjectNode layers = schedule.putObject(QuantConfigSchedule.LAYERS);
        file.schedule().layers().forEach((layer, knobs) -> {
            ObjectNode k = layers.putObject(layer);
            knobs.forEach(k::put);
        });
    }

    /** A pattern that matches exactly {@code nodeName} and nothing else. */
    public static LayerPattern exactPattern(String nodeName) {
        boolean plain = nodeName.chars().noneMatch(c -> c == '*' || c == '?') && !nodeName.startsWith("re:");
        return LayerPattern.parse(plain ? nodeName : "re:" + Pattern.quote(nodeName));
    }

    private static void putKeys(ObjectNode o, LayerOverride l) {
        l.weightBits().ifPresent(v -> o.put(QuantConfigLayerKeys.WEIGHT_BITS, v));
        l.activationBits().ifPresent(v -> o.put(QuantConfigLayerKeys.ACTIVATION_BITS, v));
        l.weightScale().ifPresent(v -> o.put(QuantConfigLayerKeys.WEIGHT_SCALE, QuantConfigNode.yamlName(v)));
        l.granularity().ifPresent(v -> o.put(QuantConfigLayerKeys.GRANULARITY, QuantConfigNode.yamlName(v)));
        l.activationCalibration()
                .ifPresent(v -> o.put(QuantConfigLayerKeys.ACTIVATION_CALIBRATION, QuantConfigNode.yamlName(v)));
        l.percentile().ifPresent(v -> o.put(QuantConfigLayerKeys.PERCENTILE, v));
        l.skip().ifPresent(v -> o.put(QuantConfigLayerKeys.SKIP, v));
        l.rounding().ifPresent(v -> o.put(QuantConfigLayerKeys.ROUNDING, QuantConfigNode.yamlName(v)));
        l.activationMode().ifPresent(v -> o.put(QuantConfigLayerKeys.ACTIVATION_MODE, QuantConfigNode.yamlName(v)));
    }
}

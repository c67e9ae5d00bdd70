package dev.qtune.compiler.quant;

import dev.qtune.compiler.lower.ConvSchedules;
import dev.qtune.compiler.lower.ScheduleConfig;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code schedule} section of a quant config file: {@code target} (the target the knob values
 * were found for) and {@code layers} (node name -> knob -> integer value). Knob names are checked
 * here; whether a value suits its layer is checked when the module is generated, where the layer's
 * candidates are known.
 */
final class QuantConfigSchedule {
    static final String TARGET = "target";
    static final String LAYERS = "layers";
    static final List<String> KEYS = List.of(TARGET, LAYERS);
    /** The knobs a layer's entry may set (docs/codegen.md, "Schedules as data"). */
    static final List<String> KNOBS = List.of(ConvSchedules.OC_BLOCK, ConvSchedules.OW_TILE, ConvSchedules.DOT);

    private QuantConfigSchedule() {}

    /** The target named by the section, if any. */
    static Optional<String> target(QuantConfigNode section) {
        return section.get(TARGET).map(n -> {
            String t = n.text("must be a target name (qtune targets lists them)");
            if (t.isBlank()) {
                throw n.error("must be a target name (qtune targets lists them)", "''");
            }
            return t;
        });
    }

    /** The knob values of the section's layers (empty when it has none). */
    static ScheduleConfig read(QuantConfigNode section) {
        section.requireMapping(KEYS);
        Optional<QuantConfigNode> layers = section.get(LAYERS);
        if (layers.isEmpty() || layers.get().isNull()) {
            return ScheduleConfig.EMPTY;
        }
        QuantConfigNode map = layers.get();
        if (!map.node().isObject()) {
            throw map.error("must be a mapping of layer name -> {knob: value}");
        }
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        for (Iterator<String> it = map.node().fieldNames(); it.hasNext(); ) {
            String layer = it.next();
            QuantConfigNode knobs = map.get(layer).orElseThrow();
            if (layer.isEmpty()) {
                throw knobs.problem("a layer name must not be empty");
            }
            if (!knobs.node().isObject()) {
                throw knobs.error("must be a mapping of knob -> value with the knobs " + String.join(", ", KNOBS));
            }
            knobs.requireMapping(KNOBS);
            Map<String, Integer> values = new LinkedHashMap<>();
            for (String knob : KNOBS) {
                knobs.get(knob).ifPresent(v -> values.put(knob, v.integer(1, 1024, "a positive integer")));
            }
            out.put(layer, values);
        }
        return new ScheduleConfig(out);
    }
}

package dev.qtune.compiler.lower;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Knob values per layer (by node name). Layers or knobs it does not mention take the schedule
 * space's defaults; {@link #EMPTY} therefore means "all defaults".
 *
 * <p>A strict config (the default) rejects a value its layer's space does not offer. A
 * {@code lenient} one gives the knob's default instead: the search chooses knob values before
 * quantization has decided everything a knob's validity depends on (whether the 8-bit dot is
 * exact for a layer's weights), so it asks leniently, and the generated module records the values
 * it actually used ({@code CModule.schedule()}).
 */
public record ScheduleConfig(Map<String, Map<String, Integer>> layers, boolean lenient) {
    public static final ScheduleConfig EMPTY = new ScheduleConfig(Map.of());

    /** A strict config. */
    public ScheduleConfig(Map<String, Map<String, Integer>> layers) {
        this(layers, false);
    }

    public ScheduleConfig {
        Map<String, Map<String, Integer>> copy = new TreeMap<>();
        layers.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
        layers = Collections.unmodifiableMap(copy);
    }

    /** The value of a knob for a layer, checked against the layer's space. */
    public int value(String layer, Knob knob) {
        Integer v = layers.getOrDefault(layer, Map.of()).get(knob.name());
        if (v == null) {
            return knob.defaultValue();
        }
        if (!knob.candidates().contains(v)) {
            if (lenient) {
                return knob.defaultValue();
            }
            throw new LoweringException("schedule for layer '" + layer + "': knob " + knob.name() + " must be one of "
                    + knob.candidates() + ", but was " + v);
        }
        return v;
    }

    /** This config with one knob of one layer set. */
    public ScheduleConfig with(String layer, String knob, int value) {
        Map<String, Map<String, Integer>> copy = new TreeMap<>(layers);
        Map<String, Integer> l = new TreeMap<>(copy.getOrDefault(layer, Map.of()));
        l.put(knob, value);
        copy.put(layer, l);
        return new ScheduleConfig(copy, lenient);
    }
}

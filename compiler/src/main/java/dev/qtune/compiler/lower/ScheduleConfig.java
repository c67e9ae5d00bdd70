package dev.qtune.compiler.lower;

import java.util.Map;
import java.util.TreeMap;

/**
 * Knob values per layer (by node name). Layers or knobs it does not mention take the schedule
 * space's defaults; {@link #EMPTY} therefore means "all defaults".
 */
public record ScheduleConfig(Map<String, Map<String, Integer>> layers) {
    public static final ScheduleConfig EMPTY = new ScheduleConfig(Map.of());

    public ScheduleConfig {
        Map<String, Map<String, Integer>> copy = new TreeMap<>();
        layers.forEach((k, v) -> copy.put(k, Map.copyOf(new TreeMap<>(v))));
        layers = java.util.Collections.unmodifiableMap(copy);
    }

    /** The value of a knob for a layer, checked against the layer's space. */
    public int value(String layer, Knob knob) {
        Integer v = layers.getOrDefault(layer, Map.of()).get(knob.name());
        if (v == null) {
            return knob.defaultValue();
        }
        if (!knob.candidates().contains(v)) {
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
        return new ScheduleConfig(copy);
    }
}

package dev.qtune.targets.codegen;

import dev.qtune.compiler.lower.ScheduleConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A generated C module and what a runner needs to know of it: its source files (the generated
 * model.c, one {@code layer_*.c} per kernel layer, embedded weight files, our kernel headers and
 * runner), the layer names in the order the runner's per-layer
 * times list them, the input and output sizes per sample, the schedule it was generated with
 * (every knob value, defaults included), the tuning task of each layer that has knobs, and its
 * speed key: two modules with the same key run the same code on the same shapes and differ only in
 * constants (scales, multipliers, weights), so they take the same time.
 */
public record CModule(
        Map<String, String> sources,
        List<String> layers,
        int inputSize,
        int outputSize,
        ScheduleConfig schedule,
        Map<String, LayerTask> tasks,
        String speedKey) {
    public CModule {
        sources = Map.copyOf(sources);
        layers = List.copyOf(layers);
        tasks = Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
    }

    /** A module without tuning tasks (e.g. sources edited by hand): its speed key is its sources'. */
    public CModule(
            Map<String, String> sources, List<String> layers, int inputSize, int outputSize, ScheduleConfig schedule) {
        this(
                sources,
                layers,
                inputSize,
                outputSize,
                schedule,
                Map.of(),
                CArrays.shortHash(new TreeMap<>(sources).toString()));
    }

    /**
     * All generated C of the model (the part that changes per model and config): model.c followed
     * by the layers' own translation units, in file-name order.
     */
    public String modelSource() {
        StringBuilder sb = new StringBuilder(sources.get(CModuleEmitter.MODEL_FILE));
        new TreeMap<>(sources).forEach((name, text) -> {
            if (name.startsWith(CModuleEmitter.LAYER_PREFIX)) {
                sb.append('\n').append(text);
            }
        });
        return sb.toString();
    }
}

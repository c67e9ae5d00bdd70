package dev.qtune.targets.codegen;

import dev.qtune.compiler.lower.ScheduleConfig;
import java.util.List;
import java.util.Map;

/**
 * A generated C module and what a runner needs to know of it: its source files (the generated
 * model.c plus our kernel headers and runner), the layer names in the order the runner's per-layer
 * times list them, the input and output sizes per sample, and the schedule it was generated with
 * (every knob value, defaults included).
 */
public record CModule(Map<String, String> sources, List<String> layers, int inputSize, int outputSize,
                      ScheduleConfig schedule) {
    public CModule {
        sources = Map.copyOf(sources);
        layers = List.copyOf(layers);
    }

    /** The generated model source (the part that changes per model and config). */
    public String modelSource() {
        return sources.get(CModuleEmitter.MODEL_FILE);
    }
}

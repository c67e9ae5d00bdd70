package dev.qtune.targets.codegen;

import java.util.List;
import java.util.Map;

/**
 * A layer's schedule tuning task (AutoTVM's "task"): what its kernel's speed depends on, as a key
 * (kernel, operand kinds, shapes, window, accumulation; the weights' values only through whether
 * the 8-bit dot is exact), and the schedules the layer may take, each a map knob to value. Layers
 * of any model with the same key run the same code at the same speed, so one measurement serves
 * them all.
 */
public record LayerTask(String key, List<Map<String, Integer>> candidates) {
    public LayerTask {
        candidates = candidates.stream().map(Map::copyOf).toList();
        if (key.isBlank() || candidates.isEmpty()) {
            throw new IllegalArgumentException("a layer task needs a key and at least one candidate schedule");
        }
    }
}

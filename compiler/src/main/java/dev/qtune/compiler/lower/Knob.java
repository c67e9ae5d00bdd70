package dev.qtune.compiler.lower;

import java.util.List;

/** One schedule knob of a kernel: its name, the candidate values that are valid for this layer, and the default. */
public record Knob(String name, List<Integer> candidates, int defaultValue) {
    public Knob {
        candidates = List.copyOf(candidates);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("knob '" + name + "' must have at least one valid candidate");
        }
        if (!candidates.contains(defaultValue)) {
            throw new IllegalArgumentException(
                    "knob '" + name + "' default " + defaultValue + " must be one of " + candidates);
        }
    }
}

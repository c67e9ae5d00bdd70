package dev.qtune.search.sensitivity;

import dev.qtune.search.space.Genome;
import java.util.Objects;

/**
 * One measurement of the sensitivity analysis: the base config with layer {@code layer}'s choice of
 * {@code kind} moved to {@code value} (all three empty for a measurement of the base config itself).
 */
public record SensitivityProbe(String layer, String kind, String value, Genome genome) {
    public SensitivityProbe {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(genome, "genome");
    }

    /** Whether this probe measures the base config. */
    public boolean isBase() {
        return layer.isEmpty();
    }

    /** "layer.kind=value", or "base". */
    public String label() {
        return isBase() ? "base" : layer + "." + kind + "=" + value;
    }
}

package dev.qtune.search.space;

import java.util.List;
import java.util.Objects;

/**
 * One dimension of a search space: a layer's choice of one kind ({@code kind}: weight_bits,
 * activation_bits, calibration, granularity, skip, or a schedule knob's name), with its candidate
 * values as labels (e.g. "8", "kl", "per_channel", "true", "16"). {@code ordered} says whether the
 * values have a meaningful order (bit widths, block sizes) or are categories (calibration modes):
 * a surrogate model may treat them differently.
 */
public record Gene(String layer, String kind, List<String> values, boolean ordered) {
    public Gene {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(kind, "kind");
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("gene " + layer + "." + kind + " must have at least one value");
        }
    }

    /** "layer.kind": unique within a space. */
    public String name() {
        return layer + "." + kind;
    }

    public int cardinality() {
        return values.size();
    }

    public String value(int index) {
        return values.get(index);
    }
}

package dev.qtune.search.space;

import java.util.List;
import java.util.Objects;

/**
 * One dimension of a search space: a layer's choice of one kind ({@code kind}: a
 * {@link GeneKind}'s label, or a schedule knob's name), with its candidate
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
            throw new IllegalArgumentException("gene " + new GeneKey(layer, kind) + " must have at least one value");
        }
    }

    /** Which gene this is: unique within a space. */
    public GeneKey key() {
        return new GeneKey(layer, kind);
    }

    /** Whether this gene makes the choice {@code k}. */
    public boolean is(GeneKind k) {
        return kind.equals(k.label());
    }

    /** Whether this gene makes a quantization choice (a {@link GeneKind}) rather than a schedule one. */
    public boolean isQuantization() {
        return GeneKind.fromLabel(kind).isPresent();
    }

    public int cardinality() {
        return values.size();
    }

    public String value(int index) {
        return values.get(index);
    }
}

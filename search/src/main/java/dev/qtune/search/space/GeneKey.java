package dev.qtune.search.space;

import java.util.Objects;

/**
 * Which gene: a layer and the kind of choice it makes there, a {@link GeneKind}'s label or a
 * schedule knob's name. Written as "layer.kind" ({@link #toString()}), as in sensitivity labels.
 */
public record GeneKey(String layer, String kind) {
    public GeneKey {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(kind, "kind");
    }

    public static GeneKey of(String layer, GeneKind kind) {
        return new GeneKey(layer, kind.label());
    }

    /** Whether this gene makes the choice {@code k}. */
    public boolean is(GeneKind k) {
        return kind.equals(k.label());
    }

    /** "layer.kind". */
    @Override
    public String toString() {
        return layer + "." + kind;
    }
}

package dev.qtune.search.space;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.quant.LayerPattern;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the experiment allows the search to choose. {@code values} maps a gene kind to its
 * allowed values as labels; a kind absent from the map takes its {@link GeneKind#defaultValues()}.
 * {@code schedule} says whether kernel schedule knobs are genes too (else every layer uses the
 * default schedule). {@code fixed} holds layers to their given values (by a {@link GeneKind}'s
 * label or a knob's name; a later entry wins), by layer pattern; a gene whose layer is fixed, or
 * that has a single allowed value, is not searched.
 */
public record SpaceSpec(Map<GeneKind, List<String>> values, boolean schedule, List<Fixed> fixed) {
    /** Layers matching {@code pattern} have the kinds in {@code values} held at those values. */
    public record Fixed(LayerPattern pattern, Map<String, String> values) {
        public Fixed {
            Objects.requireNonNull(pattern, "pattern");
            values = Map.copyOf(values);
        }
    }

    public SpaceSpec {
        values = Map.copyOf(values);
        fixed = List.copyOf(fixed);
    }

    /** Everything at its default: all kinds searched with their default values, schedules searched. */
    public static SpaceSpec defaults() {
        return new SpaceSpec(Map.of(), true, List.of());
    }

    /** The allowed labels of a kind. */
    public List<String> allowed(GeneKind kind) {
        return values.getOrDefault(kind, kind.defaultValues());
    }

    /** The value a fixed entry gives this layer's kind, if any (the last matching entry wins). */
    public Optional<String> fixedValue(String layer, String kind) {
        String v = null;
        for (Fixed f : fixed) {
            if (f.pattern().matches(layer) && f.values().containsKey(kind)) {
                v = f.values().get(kind);
            }
        }
        return Optional.ofNullable(v);
    }

    /**
     * Fails (one line, naming the entry and the layers) when a {@code space.fixed} pattern matches
     * none of the layers: a typo would otherwise silently fix nothing, as in quant configs.
     */
    public void checkPatterns(Collection<String> layerNames) {
        for (int i = 0; i < fixed.size(); i++) {
            Fixed f = fixed.get(i);
            if (layerNames.stream().noneMatch(f.pattern()::matches)) {
                String names = String.join(", ", layerNames);
                throw new QtuneException(
                        "space.fixed[" + i + "].match: pattern '" + f.pattern().text()
                                + "' matches no quantizable layer; layers are: "
                                + (names.length() > 300 ? names.substring(0, 297) + "..." : names));
            }
        }
    }
}

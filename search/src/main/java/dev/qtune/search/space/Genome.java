package dev.qtune.search.space;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One point of a search space: for each gene (in the space's order) the index of its chosen
 * value. Value semantics (equal genomes are equal records), so genomes can key maps.
 */
public record Genome(List<Integer> values) {
    public Genome {
        values = List.copyOf(Objects.requireNonNull(values, "values"));
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) < 0) {
                throw new IllegalArgumentException("genome value " + i + " must be >= 0, but was " + values.get(i));
            }
        }
    }

    public static Genome of(int... values) {
        return new Genome(Arrays.stream(values).boxed().toList());
    }

    public int get(int gene) {
        return values.get(gene);
    }

    public int size() {
        return values.size();
    }

    public int[] toArray() {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}

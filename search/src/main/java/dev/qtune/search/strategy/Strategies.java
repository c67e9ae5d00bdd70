package dev.qtune.search.strategy;

import dev.qtune.search.space.Gene;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The one factory of search strategies. */
public final class Strategies {
    private Strategies() {
    }

    /**
     * A new searcher for {@code spec} over the space {@code genes} with {@code objectives} minimised
     * objectives (2 or 3). Each call returns a fresh, independent searcher whose every random choice
     * derives from {@code spec.seed()}.
     */
    public static Searcher create(StrategySpec spec, List<Gene> genes, int objectives) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(genes, "genes");
        List<Gene> space = List.copyOf(genes);
        checkSpace(space);
        if (objectives < 2 || objectives > 3) {
            throw new IllegalArgumentException("objectives must be 2 or 3, but was " + objectives);
        }
        return switch (spec.name()) {
            case "random" -> new RandomSearcher(spec, space, objectives);
            case "nsga2" -> new Nsga2Searcher(spec, space, objectives);
            case "bayesian" -> new BayesianSearcher(spec, space, objectives);
            default -> throw new IllegalArgumentException("strategy must be one of " + StrategySpec.NAMES
                    + ", but was " + spec.name());
        };
    }

    private static void checkSpace(List<Gene> genes) {
        if (genes.isEmpty()) {
            throw new IllegalArgumentException("search space must have at least one gene, but had none");
        }
        Set<String> names = new HashSet<>();
        for (Gene g : genes) {
            if (!names.add(g.name())) {
                throw new IllegalArgumentException("gene names must be unique, but " + g.name() + " appears twice");
            }
        }
    }

    static void checkMax(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, but was " + max);
        }
    }
}

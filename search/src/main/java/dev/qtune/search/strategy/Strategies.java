package dev.qtune.search.strategy;

import dev.qtune.search.sensitivity.AdditiveFront;
import dev.qtune.search.sensitivity.SensitivityTable;
import dev.qtune.search.space.Gene;
import dev.qtune.search.space.GeneKey;
import dev.qtune.search.space.Genome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The one factory of search strategies. */
public final class Strategies {
    private Strategies() {}

    /**
     * A new searcher for {@code spec} over the space {@code genes} with {@code objectives} minimised
     * objectives (2 or 3). Each call returns a fresh, independent searcher whose every random choice
     * derives from {@code spec.seed()}.
     */
    public static Searcher create(StrategySpec spec, List<Gene> genes, int objectives) {
        return create(spec, genes, objectives, List.of(), Optional.empty());
    }

    /**
     * A new searcher as above whose first generation holds {@code seeds} (evaluated first, in
     * order) and, with a sensitivity table, the points its additive model predicts (for nsga2,
     * bayesian and random when the spec's {@code sensitivitySeeds} is on; the {@code sensitivity}
     * strategy needs the table and proposes them itself; nsga2 with {@code screening} also screens
     * its offspring by the model).
     */
    public static Searcher create(
            StrategySpec spec,
            List<Gene> genes,
            int objectives,
            List<Genome> seeds,
            Optional<SensitivityTable> sensitivity) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(genes, "genes");
        List<Gene> space = List.copyOf(genes);
        checkSpace(space);
        if (objectives < 2 || objectives > 3) {
            throw new IllegalArgumentException("objectives must be 2 or 3, but was " + objectives);
        }
        List<Genome> first = new ArrayList<>(seeds);
        Searcher searcher = searcher(spec, space, objectives, sensitivity);
        if (spec.sensitivitySeeds() && sensitivity.isPresent()) {
            first.addAll(predictedSeeds(space, objectives, sensitivity.get(), spec.batchSize()));
        }
        return first.isEmpty() ? searcher : new SeededSearcher(searcher, spec.batchSize(), first);
    }

    /**
     * The searcher of the spec's type. Java 17 has no pattern matching in switch (a preview), so
     * this is the one chain of type patterns over the sealed {@link StrategySpec}; a test creates
     * every permitted type.
     */
    private static Searcher searcher(
            StrategySpec spec, List<Gene> space, int objectives, Optional<SensitivityTable> sensitivity) {
        if (spec instanceof RandomSpec random) {
            return new RandomSearcher(random, space, objectives);
        } else if (spec instanceof Nsga2Spec nsga2) {
            return new Nsga2Searcher(
                    nsga2, space, objectives, sensitivity.map(t -> new SensitivityModel(space, objectives, t)));
        } else if (spec instanceof BayesianSpec bayesian) {
            return new BayesianSearcher(bayesian, space, objectives);
        } else if (spec instanceof SensitivitySpec s) {
            return new SensitivitySearcher(
                    s,
                    space,
                    objectives,
                    sensitivity.orElseThrow(() -> new IllegalArgumentException(
                            "strategy sensitivity needs a sensitivity table, but had none")));
        }
        throw new IllegalStateException("no searcher for " + spec.getClass().getName());
    }

    /**
     * Up to {@code count} points of the additive model's predicted front, spread evenly along it
     * (the fastest and the most accurate included), as seeds for a strategy without a model.
     */
    static List<Genome> predictedSeeds(List<Gene> space, int objectives, SensitivityTable table, int count) {
        List<AdditiveFront.Point> front = AdditiveFront.of(space, table, objectives == 3, 4000);
        List<Genome> out = new ArrayList<>();
        for (int i = 0; i < Math.min(count, front.size()); i++) {
            int at = count == 1 ? front.size() - 1 : (int) ((long) i * (front.size() - 1) / (count - 1));
            if (!out.contains(front.get(at).genome())) {
                out.add(front.get(at).genome());
            }
        }
        return out;
    }

    private static void checkSpace(List<Gene> genes) {
        if (genes.isEmpty()) {
            throw new IllegalArgumentException("search space must have at least one gene, but had none");
        }
        Set<GeneKey> keys = new HashSet<>();
        for (Gene g : genes) {
            if (!keys.add(g.key())) {
                throw new IllegalArgumentException("gene names must be unique, but " + g.key() + " appears twice");
            }
        }
    }

    static void checkMax(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, but was " + max);
        }
    }
}

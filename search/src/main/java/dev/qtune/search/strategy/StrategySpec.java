package dev.qtune.search.strategy;

import java.util.Objects;
import java.util.Set;

/**
 * How to build a strategy: its name ({@code nsga2}, {@code bayesian} or {@code random}), the seed
 * of every random choice it makes, and its batch size (NSGA-II's population; the proposals per
 * round of the others). Bayesian settings: {@code initialSamples} random trials before the
 * surrogate is used, and the acquisition ({@code ehvi} or {@code parego}). NSGA-II settings:
 * {@code mutationRate} (per gene) and {@code crossoverRate}. {@code sensitivitySeeds}: nsga2, bayesian
 * and random start from points of the sensitivity model's predicted front as well (the
 * {@code sensitivity} strategy is that model).
 */
public record StrategySpec(String name, long seed, int batchSize, int initialSamples, String acquisition,
                           double mutationRate, double crossoverRate, boolean sensitivitySeeds) {
    public static final Set<String> NAMES = Set.of("nsga2", "bayesian", "random", "sensitivity");
    public static final Set<String> ACQUISITIONS = Set.of("ehvi", "parego");

    public StrategySpec {
        Objects.requireNonNull(name, "name");
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("strategy must be one of " + NAMES + ", but was " + name);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, but was " + batchSize);
        }
        if (initialSamples < 1) {
            throw new IllegalArgumentException("initial samples must be >= 1, but was " + initialSamples);
        }
        if (!ACQUISITIONS.contains(acquisition)) {
            throw new IllegalArgumentException("acquisition must be one of " + ACQUISITIONS + ", but was " + acquisition);
        }
        if (!(mutationRate >= 0 && mutationRate <= 1) || !(crossoverRate >= 0 && crossoverRate <= 1)) {
            throw new IllegalArgumentException("mutation and crossover rates must be in [0, 1], but were "
                    + mutationRate + " and " + crossoverRate);
        }
    }

    /** A spec without sensitivity seeds. */
    public StrategySpec(String name, long seed, int batchSize, int initialSamples, String acquisition,
                        double mutationRate, double crossoverRate) {
        this(name, seed, batchSize, initialSamples, acquisition, mutationRate, crossoverRate, false);
    }

    /** Whether the search needs a sensitivity analysis first (the sensitivity strategy, or seeds from it). */
    public boolean needsSensitivity() {
        return name.equals("sensitivity") || sensitivitySeeds;
    }

    /** Defaults for a strategy: batch 8, 8 initial samples, EHVI, mutation 1/genes decided later (0 = auto), crossover 0.7. */
    public static StrategySpec defaults(String name, long seed) {
        return new StrategySpec(name, seed, 8, 8, "ehvi", 0, 0.7, false);
    }
}

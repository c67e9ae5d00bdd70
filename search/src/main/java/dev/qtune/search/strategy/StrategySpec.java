package dev.qtune.search.strategy;

import java.util.Set;

/**
 * How to build a strategy: one record per strategy, each with only its own typed arguments (as
 * Optuna gives each sampler its own), all with the seed of every random choice the strategy makes
 * and its batch size (NSGA-II's population; the proposals per round of the others).
 * {@link Strategies#create} switches on the type. Every check fails with one line naming the
 * experiment-file key ({@code batch_size}, {@code initial_samples}, ...).
 */
public sealed interface StrategySpec permits Nsga2Spec, BayesianSpec, RandomSpec, SensitivitySpec {
    /** The strategy names of experiment files, one per record. */
    Set<String> NAMES = Set.of(Nsga2Spec.NAME, BayesianSpec.NAME, RandomSpec.NAME, SensitivitySpec.NAME);
    /** Trials per generation unless the experiment says otherwise. */
    int DEFAULT_BATCH_SIZE = 8;

    /** The strategy's name in experiment files and run records: nsga2, bayesian, random or sensitivity. */
    String name();

    long seed();

    int batchSize();

    /** Whether the search needs a sensitivity analysis first (the sensitivity strategy, or seeds or screening by it). */
    boolean needsSensitivity();

    /**
     * Whether the first generation also holds points of the front the sensitivity model predicts
     * (the sensitivity strategy proposes them itself: false).
     */
    boolean sensitivitySeeds();

    /** The same strategy and arguments with another seed. */
    StrategySpec withSeed(long seed);

    /** The spec of strategy {@code name} with every argument at its default and no sensitivity seeds. */
    static StrategySpec defaults(String name, long seed) {
        return switch (name) {
            case Nsga2Spec.NAME -> Nsga2Spec.defaults(seed);
            case BayesianSpec.NAME -> BayesianSpec.defaults(seed);
            case RandomSpec.NAME -> RandomSpec.defaults(seed);
            case SensitivitySpec.NAME -> SensitivitySpec.defaults(seed);
            default -> throw new IllegalArgumentException("strategy must be one of " + NAMES + ", but was " + name);
        };
    }

    /** Fails unless {@code batchSize} is at least 1. */
    static void checkBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch_size must be >= 1, but was " + batchSize);
        }
    }
}

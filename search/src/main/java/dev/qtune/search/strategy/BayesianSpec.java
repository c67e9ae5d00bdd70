package dev.qtune.search.strategy;

import java.util.Objects;

/**
 * Gaussian-process Bayesian optimisation: {@code initialSamples} random trials before the
 * surrogate is used, then the {@code acquisition}'s choices; with {@code sensitivitySeeds} the
 * first batch also holds points of the sensitivity model's predicted front.
 */
public record BayesianSpec(
        long seed, int batchSize, int initialSamples, AcquisitionKind acquisition, boolean sensitivitySeeds)
        implements StrategySpec {
    public static final String NAME = "bayesian";
    public static final int DEFAULT_INITIAL_SAMPLES = 8;
    public static final AcquisitionKind DEFAULT_ACQUISITION = AcquisitionKind.EHVI;

    public BayesianSpec {
        StrategySpec.checkBatchSize(batchSize);
        if (initialSamples < 1) {
            throw new IllegalArgumentException("initial_samples must be >= 1, but was " + initialSamples);
        }
        Objects.requireNonNull(acquisition, "acquisition");
    }

    /** Batch {@value StrategySpec#DEFAULT_BATCH_SIZE}, 8 initial samples, EHVI, no sensitivity seeds. */
    public static BayesianSpec defaults(long seed) {
        return new BayesianSpec(seed, DEFAULT_BATCH_SIZE, DEFAULT_INITIAL_SAMPLES, DEFAULT_ACQUISITION, false);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsSensitivity() {
        return sensitivitySeeds;
    }

    @Override
    public BayesianSpec withSeed(long seed) {
        return new BayesianSpec(seed, batchSize, initialSamples, acquisition, sensitivitySeeds);
    }
}

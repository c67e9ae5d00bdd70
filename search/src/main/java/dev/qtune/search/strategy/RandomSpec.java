package dev.qtune.search.strategy;

/**
 * Uniform random search; with {@code sensitivitySeeds} the first batch also holds points of the
 * sensitivity model's predicted front.
 */
public record RandomSpec(long seed, int batchSize, boolean sensitivitySeeds) implements StrategySpec {
    public static final String NAME = "random";

    public RandomSpec {
        StrategySpec.checkBatchSize(batchSize);
    }

    /** Batch {@value StrategySpec#DEFAULT_BATCH_SIZE}, no sensitivity seeds. */
    public static RandomSpec defaults(long seed) {
        return new RandomSpec(seed, DEFAULT_BATCH_SIZE, false);
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
    public RandomSpec withSeed(long seed) {
        return new RandomSpec(seed, batchSize, sensitivitySeeds);
    }
}

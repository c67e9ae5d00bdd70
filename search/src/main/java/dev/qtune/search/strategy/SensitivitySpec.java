package dev.qtune.search.strategy;

/** The sensitivity strategy: the additive model of a sensitivity analysis, corrected by measurements. */
public record SensitivitySpec(long seed, int batchSize) implements StrategySpec {
    public static final String NAME = "sensitivity";

    public SensitivitySpec {
        StrategySpec.checkBatchSize(batchSize);
    }

    /** Batch {@value StrategySpec#DEFAULT_BATCH_SIZE}. */
    public static SensitivitySpec defaults(long seed) {
        return new SensitivitySpec(seed, DEFAULT_BATCH_SIZE);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Always: the analysis is this strategy's model. */
    @Override
    public boolean needsSensitivity() {
        return true;
    }

    /** Never: this strategy proposes the predicted front itself. */
    @Override
    public boolean sensitivitySeeds() {
        return false;
    }

    @Override
    public SensitivitySpec withSeed(long seed) {
        return new SensitivitySpec(seed, batchSize);
    }
}

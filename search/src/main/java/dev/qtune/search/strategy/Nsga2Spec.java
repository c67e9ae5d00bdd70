package dev.qtune.search.strategy;

import java.util.OptionalDouble;

/**
 * NSGA-II: {@code mutationRate} is the per-gene mutation probability (empty: 1 / the number of
 * genes), {@code crossoverRate} the per-individual crossover probability; with
 * {@code sensitivitySeeds} the first generation also holds points of the sensitivity model's
 * predicted front; with {@code screening} each generation breeds {@value #SCREENING_POOL} x the
 * batch size of children and measures those the sensitivity model, corrected by what was
 * measured, expects to add the most hypervolume (surrogate pre-selection).
 */
public record Nsga2Spec(
        long seed,
        int batchSize,
        OptionalDouble mutationRate,
        double crossoverRate,
        boolean sensitivitySeeds,
        boolean screening)
        implements StrategySpec {
    public static final String NAME = "nsga2";
    public static final double DEFAULT_CROSSOVER_RATE = 0.7;
    /** Children bred per child measured when screening. */
    public static final int SCREENING_POOL = 8;

    public Nsga2Spec {
        StrategySpec.checkBatchSize(batchSize);
        if (mutationRate.isPresent() && !(mutationRate.getAsDouble() > 0 && mutationRate.getAsDouble() <= 1)) {
            throw new IllegalArgumentException(
                    "mutation_rate must be in (0, 1] (or empty for 1/genes), but was " + mutationRate.getAsDouble());
        }
        if (!(crossoverRate >= 0 && crossoverRate <= 1)) {
            throw new IllegalArgumentException("crossover_rate must be in [0, 1], but was " + crossoverRate);
        }
    }

    /** Batch {@value StrategySpec#DEFAULT_BATCH_SIZE}, mutation 1/genes, crossover 0.7, no sensitivity model. */
    public static Nsga2Spec defaults(long seed) {
        return new Nsga2Spec(seed, DEFAULT_BATCH_SIZE, OptionalDouble.empty(), DEFAULT_CROSSOVER_RATE, false, false);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The per-gene mutation probability in a space of {@code genes} genes. */
    public double mutationRate(int genes) {
        return mutationRate.orElse(1.0 / genes);
    }

    @Override
    public boolean needsSensitivity() {
        return sensitivitySeeds || screening;
    }

    @Override
    public Nsga2Spec withSeed(long seed) {
        return new Nsga2Spec(seed, batchSize, mutationRate, crossoverRate, sensitivitySeeds, screening);
    }
}

package dev.qtune.experiments.config;

import dev.qtune.compiler.quant.QuantConfigNode;
import dev.qtune.search.strategy.AcquisitionKind;
import dev.qtune.search.strategy.BayesianSpec;
import dev.qtune.search.strategy.Nsga2Spec;
import dev.qtune.search.strategy.RandomSpec;
import dev.qtune.search.strategy.SensitivitySpec;
import dev.qtune.search.strategy.StrategySpec;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * The {@code strategy} section of an experiment file. Every key is read and checked whatever the
 * strategy (a sweep over strategies shares one section); each strategy's spec takes the keys it
 * has and leaves the others.
 */
final class StrategyReader {
    static final List<String> KEYS = List.of(
            "name",
            "batch_size",
            "initial_samples",
            "acquisition",
            "mutation_rate",
            "crossover_rate",
            "sensitivity_seeds",
            "screening");

    private StrategyReader() {}

    static StrategySpec read(QuantConfigNode n, long seed) {
        if (n == null) {
            Nsga2Spec d = Nsga2Spec.defaults(seed);
            boolean seeds = seedsByDefault(Nsga2Spec.NAME);
            return new Nsga2Spec(seed, d.batchSize(), d.mutationRate(), d.crossoverRate(), seeds, seeds);
        }
        n.requireMapping(KEYS);
        String name = n.require("name", "one of " + StrategySpec.NAMES).text("a strategy name");
        if (!StrategySpec.NAMES.contains(name)) {
            throw n.require("name", "").error("must be one of " + String.join(", ", new TreeSet<>(StrategySpec.NAMES)));
        }
        AcquisitionKind acquisition = acquisition(n);
        int batchSize = n.get("batch_size")
                .map(v -> v.integer(1, 10_000, "in 1..10000"))
                .orElse(StrategySpec.DEFAULT_BATCH_SIZE);
        int initialSamples = n.get("initial_samples")
                .map(v -> v.integer(1, 10_000, "in 1..10000"))
                .orElse(BayesianSpec.DEFAULT_INITIAL_SAMPLES);
        boolean seeds = n.get("sensitivity_seeds").map(QuantConfigNode::bool).orElse(seedsByDefault(name));
        Nsga2Spec nsga2 = nsga2(n, seed, batchSize, seeds); // read (and checked) whatever the strategy
        return switch (name) {
            case Nsga2Spec.NAME -> nsga2;
            case BayesianSpec.NAME -> new BayesianSpec(seed, batchSize, initialSamples, acquisition, seeds);
            case RandomSpec.NAME -> new RandomSpec(seed, batchSize, seeds);
            default -> new SensitivitySpec(seed, batchSize);
        };
    }

    private static AcquisitionKind acquisition(QuantConfigNode n) {
        String acquisitionLabel = n.get("acquisition")
                .map(a -> a.text("ehvi or parego"))
                .orElse(BayesianSpec.DEFAULT_ACQUISITION.label());
        return AcquisitionKind.fromLabel(acquisitionLabel)
                .orElseThrow(() -> n.require("acquisition", "").error("must be one of ehvi, parego"));
    }

    /** nsga2's own keys: mutation and crossover rates, screening (by default as {@code seeds}). */
    private static Nsga2Spec nsga2(QuantConfigNode n, long seed, int batchSize, boolean seeds) {
        // The file's 0 means 1/genes, the spec's empty rate.
        double mutationRate = n.get("mutation_rate")
                .map(v -> v.number(x -> x >= 0 && x <= 1, "in [0, 1] (0 = 1/genes)"))
                .orElse(0.0);
        double crossoverRate = n.get("crossover_rate")
                .map(v -> v.number(x -> x >= 0 && x <= 1, "in [0, 1]"))
                .orElse(Nsga2Spec.DEFAULT_CROSSOVER_RATE);
        boolean screening = n.get("screening").map(QuantConfigNode::bool).orElse(seeds);
        return new Nsga2Spec(
                seed,
                batchSize,
                mutationRate > 0 ? OptionalDouble.of(mutationRate) : OptionalDouble.empty(),
                crossoverRate,
                seeds,
                screening);
    }

    /** nsga2 and bayesian start from the sensitivity model's predicted front unless told not to; random does not. */
    private static boolean seedsByDefault(String name) {
        return name.equals(Nsga2Spec.NAME) || name.equals(BayesianSpec.NAME);
    }
}

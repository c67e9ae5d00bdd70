package dev.qtune.experiments.config;

import dev.qtune.compiler.quant.QuantConfigNode;
import dev.qtune.search.strategy.StrategySpec;

import java.util.List;

/** The {@code strategy} section of an experiment file. */
final class StrategyReader {
    static final List<String> KEYS = List.of("name", "batch_size", "initial_samples", "acquisition", "mutation_rate",
            "crossover_rate", "sensitivity_seeds");

    private StrategyReader() {
    }

    static StrategySpec read(QuantConfigNode n, long seed) {
        if (n == null) {
            StrategySpec d = StrategySpec.defaults("nsga2", seed);
            return new StrategySpec(d.name(), seed, d.batchSize(), d.initialSamples(), d.acquisition(), d.mutationRate(),
                    d.crossoverRate(), seedsByDefault(d.name()));
        }
        n.requireMapping(KEYS);
        String name = n.require("name", "one of " + StrategySpec.NAMES).text("a strategy name");
        if (!StrategySpec.NAMES.contains(name)) {
            throw n.require("name", "").error("must be one of " + String.join(", ", new java.util.TreeSet<>(StrategySpec.NAMES)));
        }
        StrategySpec d = StrategySpec.defaults(name, seed);
        String acquisition = n.get("acquisition").map(a -> a.text("ehvi or parego")).orElse(d.acquisition());
        if (!StrategySpec.ACQUISITIONS.contains(acquisition)) {
            throw n.require("acquisition", "").error("must be one of ehvi, parego");
        }
        return new StrategySpec(name, seed,
                n.get("batch_size").map(v -> v.integer(1, 10_000, "in 1..10000")).orElse(d.batchSize()),
                n.get("initial_samples").map(v -> v.integer(1, 10_000, "in 1..10000")).orElse(d.initialSamples()),
                acquisition,
                n.get("mutation_rate").map(v -> v.number(x -> x >= 0 && x <= 1, "in [0, 1] (0 = 1/genes)"))
                        .orElse(d.mutationRate()),
                n.get("crossover_rate").map(v -> v.number(x -> x >= 0 && x <= 1, "in [0, 1]")).orElse(d.crossoverRate()),
                n.get("sensitivity_seeds").map(QuantConfigNode::bool).orElse(seedsByDefault(name)));
    }

    /** nsga2 and bayesian start from the sensitivity model's predicted front unless told not to; random does not. */
    private static boolean seedsByDefault(String name) {
        return name.equals("nsga2") || name.equals("bayesian");
    }
}

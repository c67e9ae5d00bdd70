package dev.qtune.experiments.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qtune.compiler.quant.QuantConfigException;
import dev.qtune.search.strategy.AcquisitionKind;
import dev.qtune.search.strategy.BayesianSpec;
import dev.qtune.search.strategy.Nsga2Spec;
import dev.qtune.search.strategy.RandomSpec;
import dev.qtune.search.strategy.SensitivitySpec;
import dev.qtune.search.strategy.StrategySpec;
import java.nio.file.Path;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The strategy section: each name gives its own spec with its typed arguments and the file's defaults. */
class StrategyReaderTest {
    private static final Path FILE = Path.of("x.yaml");
    private static final String MINIMAL =
            "name: t\nmodel: ../models/mlp_mnist.onnx\ndataset: {name: mnist}\n" + "budget: {trials: 5}\nseed: 7\n";

    private static StrategySpec read(String strategy) {
        String section = strategy.isEmpty() ? "" : "strategy: " + strategy + "\n";
        return ExperimentReader.parse(MINIMAL + section, FILE).strategy();
    }

    @Test
    void withoutASectionTheStrategyIsNsga2SeededByTheSensitivityModel() {
        assertEquals(new Nsga2Spec(7, 8, OptionalDouble.empty(), 0.7, true, true), read(""));
    }

    @Test
    void eachNameGivesItsOwnSpec() {
        assertEquals(new Nsga2Spec(7, 8, OptionalDouble.empty(), 0.7, true, true), read("{name: nsga2}"));
        assertEquals(new BayesianSpec(7, 8, 8, AcquisitionKind.EHVI, true), read("{name: bayesian}"));
        assertEquals(new RandomSpec(7, 8, false), read("{name: random}"));
        assertEquals(new SensitivitySpec(7, 8), read("{name: sensitivity}"));
    }

    @Test
    void argumentsAreTyped() {
        assertEquals(
                new Nsga2Spec(7, 4, OptionalDouble.of(0.25), 0.5, false, false),
                read(
                        "{name: nsga2, batch_size: 4, mutation_rate: 0.25, crossover_rate: 0.5, sensitivity_seeds: false}"));
        assertEquals(
                new Nsga2Spec(7, 8, OptionalDouble.empty(), 0.7, true, true),
                read("{name: nsga2, mutation_rate: 0}"),
                "the file's 0 is 1/genes");
        assertEquals(
                new BayesianSpec(7, 6, 3, AcquisitionKind.PAREGO, true),
                read("{name: bayesian, batch_size: 6, initial_samples: 3, acquisition: parego}"));
        assertEquals(new RandomSpec(7, 8, true), read("{name: random, sensitivity_seeds: true}"));
    }

    /** A sweep over strategies shares one section: each strategy leaves the keys of the others. */
    @Test
    void keysOfOtherStrategiesAreCheckedAndLeft() {
        assertEquals(
                new RandomSpec(7, 8, false),
                read("{name: random, initial_samples: 3, acquisition: parego, "
                        + "mutation_rate: 0.1, crossover_rate: 1}"));
        assertEquals(new SensitivitySpec(7, 2), read("{name: sensitivity, batch_size: 2, sensitivity_seeds: true}"));
        assertError("{name: random, acquisition: ucb}", "x.yaml: strategy.acquisition: must be one of ehvi, parego");
        assertError(
                "{name: random, mutation_rate: 2}",
                "x.yaml: strategy.mutation_rate: must be a finite number in [0, 1] (0 = 1/genes)");
        assertError("{name: nsga2, batch_size: 0}", "x.yaml: strategy.batch_size: must be in 1..10000");
    }

    private static void assertError(String strategy, String start) {
        String m =
                assertThrows(QuantConfigException.class, () -> read(strategy)).getMessage();
        assertEquals(start, m.substring(0, Math.min(m.length(), start.length())), m);
    }
}

package dev.qtune.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The strategy specs: named defaults, one-line checks naming the experiment-file key, and the typed mutation rate. */
class StrategySpecTest {
    @Test
    void defaultsAreNamed() {
        assertEquals(new Nsga2Spec(5, 8, OptionalDouble.empty(), 0.7, false, false), StrategySpec.defaults("nsga2", 5));
        assertEquals(new BayesianSpec(5, 8, 8, AcquisitionKind.EHVI, false), StrategySpec.defaults("bayesian", 5));
        assertEquals(new RandomSpec(5, 8, false), StrategySpec.defaults("random", 5));
        assertEquals(new SensitivitySpec(5, 8), StrategySpec.defaults("sensitivity", 5));
        for (String name : StrategySpec.NAMES) {
            assertEquals(name, StrategySpec.defaults(name, 1).name());
            assertEquals(
                    StrategySpec.defaults(name, 9),
                    StrategySpec.defaults(name, 1).withSeed(9),
                    name);
        }
        assertError("strategy must be one of ", () -> StrategySpec.defaults("ga", 1));
    }

    @Test
    void checksNameTheKeyInOneLine() {
        assertError("batch_size must be >= 1, but was 0", () -> new RandomSpec(1, 0, false));
        assertError("batch_size must be >= 1, but was -2", () -> new SensitivitySpec(1, -2));
        assertError(
                "initial_samples must be >= 1, but was 0",
                () -> new BayesianSpec(1, 8, 0, AcquisitionKind.EHVI, false));
        assertError(
                "mutation_rate must be in (0, 1] (or empty for 1/genes), but was 0.0",
                () -> new Nsga2Spec(1, 8, OptionalDouble.of(0), 0.7, false, false));
        assertError(
                "mutation_rate must be in (0, 1] (or empty for 1/genes), but was 1.5",
                () -> new Nsga2Spec(1, 8, OptionalDouble.of(1.5), 0.7, false, false));
        assertError(
                "crossover_rate must be in [0, 1], but was NaN",
                () -> new Nsga2Spec(1, 8, OptionalDouble.empty(), Double.NaN, false, false));
    }

    @Test
    void theMutationRateIsOneOverTheGenesUnlessGiven() {
        assertEquals(0.25, Nsga2Spec.defaults(1).mutationRate(4));
        assertEquals(0.1, new Nsga2Spec(1, 8, OptionalDouble.of(0.1), 0.7, false, false).mutationRate(4));
    }

    @Test
    void onlyTheSensitivityStrategyAndSeededOnesNeedTheAnalysis() {
        assertTrue(new SensitivitySpec(1, 8).needsSensitivity());
        assertTrue(new RandomSpec(1, 8, true).needsSensitivity());
        assertFalse(Nsga2Spec.defaults(1).needsSensitivity());
        assertFalse(BayesianSpec.defaults(1).needsSensitivity());
    }

    private static void assertError(String start, Executable e) {
        String m = assertThrows(IllegalArgumentException.class, e).getMessage();
        assertTrue(m.startsWith(start) && !m.contains("\n"), m);
    }
}

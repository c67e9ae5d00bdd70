package dev.qtune.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.search.space.Gene;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrategiesTest {
    private static final List<Gene> GENES = new ToyProblem(5).genes();

    @Test
    void createsEachStrategyByName() {
        assertInstanceOf(RandomSearcher.class, Strategies.create(StrategySpec.defaults("random", 1), GENES, 2));
        assertInstanceOf(Nsga2Searcher.class, Strategies.create(StrategySpec.defaults("nsga2", 1), GENES, 2));
        assertInstanceOf(BayesianSearcher.class, Strategies.create(StrategySpec.defaults("bayesian", 1), GENES, 3));
        for (String name : StrategySpec.NAMES) {
            if (!name.equals("sensitivity")) {
                assertEquals(
                        name,
                        Strategies.create(StrategySpec.defaults(name, 1), GENES, 2)
                                .name());
            }
        }
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> Strategies.create(StrategySpec.defaults("sensitivity", 1), GENES, 2));
        assertTrue(e.getMessage().contains("needs a sensitivity table"), e.getMessage());
    }

    /** Java 17 cannot switch on the sealed type, so this checks that create knows every permitted spec. */
    @Test
    void createsEveryPermittedSpec() {
        for (Class<?> type : StrategySpec.class.getPermittedSubclasses()) {
            StrategySpec spec = StrategySpec.NAMES.stream()
                    .map(n -> StrategySpec.defaults(n, 1))
                    .filter(type::isInstance)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no name for " + type));
            if (!(spec instanceof SensitivitySpec)) {
                assertEquals(spec.name(), Strategies.create(spec, GENES, 2).name());
            }
        }
    }

    @Test
    void rejectsBadSpacesAndObjectiveCounts() {
        StrategySpec spec = StrategySpec.defaults("random", 1);
        var e = assertThrows(IllegalArgumentException.class, () -> Strategies.create(spec, GENES, 4));
        assertTrue(e.getMessage().contains("objectives must be 2 or 3, but was 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Strategies.create(spec, GENES, 1));
        assertThrows(IllegalArgumentException.class, () -> Strategies.create(spec, List.of(), 2));
        Gene twice = GENES.get(0);
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.create(spec, List.of(twice, twice), 2));
        assertTrue(e.getMessage().contains("unique"), e.getMessage());
    }
}

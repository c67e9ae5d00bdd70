package dev.qtune.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.search.space.Gene;
import dev.qtune.search.space.Genome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Seeds come first, in order, in the first generation of every strategy, topped up to the batch size. */
class SeededSearcherTest {
    private static final List<Gene> GENES = List.of(
            new Gene("a", "weight_bits", List.of("8", "7", "6", "4"), true),
            new Gene("b", "weight_bits", List.of("8", "7", "6", "4"), true),
            new Gene("a", "skip", List.of("false", "true"), false));

    @Test
    void firstGenerationHoldsTheSeedsThenTheStrategy() {
        for (StrategySpec spec : List.of(
                new Nsga2Spec(3, 6, OptionalDouble.empty(), 0.7, false, false),
                new BayesianSpec(3, 6, 4, AcquisitionKind.EHVI, false),
                new RandomSpec(3, 6, false))) {
            String name = spec.name();
            List<Genome> seeds = List.of(Genome.of(0, 0, 0), Genome.of(3, 3, 0), Genome.of(0, 0, 0));
            Searcher s = Strategies.create(spec, GENES, 2, seeds, Optional.empty());
            List<Genome> first = s.ask(100);
            assertEquals(Genome.of(0, 0, 0), first.get(0), name);
            assertEquals(Genome.of(3, 3, 0), first.get(1), name);
            assertEquals(6, first.size(), name + ": topped up to the batch size, duplicates dropped: " + first);
            assertEquals(first.size(), first.stream().distinct().count(), name);
            List<Observation> told = new ArrayList<>();
            for (Genome g : first) {
                told.add(Observation.ok(g, new double[] {g.get(0), 10 - g.get(1)}, 0));
            }
            s.tell(told);
            List<Genome> second = s.ask(100);
            assertTrue(second.stream().noneMatch(first::contains), name + ": the strategy knows the seeds were told");
        }
    }
}

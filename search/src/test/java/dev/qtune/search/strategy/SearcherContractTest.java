package dev.qtune.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.search.space.Gene;
import dev.qtune.search.space.Genome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every strategy promises: reproducible, within the space, batch sizes, no failed genome again. */
class SearcherContractTest {
    static Stream<StrategySpec> specs() {
        return Stream.of(
                RandomSpec.defaults(1),
                Nsga2Spec.defaults(1),
                BayesianSpec.defaults(1),
                new BayesianSpec(1, 8, 8, AcquisitionKind.PAREGO, false));
    }

    private static StrategySpec withSeed(StrategySpec s, long seed) {
        return s.withSeed(seed);
    }

    private static SearchRun run(StrategySpec spec, ToyProblem toy, int budget) {
        return SearchRun.run(Strategies.create(spec, toy.genes(), 2), toy::evaluate, budget, spec.batchSize());
    }

    @ParameterizedTest
    @MethodSource("specs")
    void sameSeedAndSameResultsGiveSameProposals(StrategySpec spec) {
        ToyProblem toy = new ToyProblem(12);
        SearchRun first = run(spec, toy, 48);
        SearchRun second = run(spec, toy, 48);
        assertEquals(6, first.batches.size());
        assertEquals(first.batches, second.batches);
    }

    @ParameterizedTest
    @MethodSource("specs")
    void proposalsDoNotDependOnTheOrderOfTheTell(StrategySpec spec) {
        ToyProblem toy = new ToyProblem(12);
        SearchRun inOrder = run(spec, toy, 40);
        Searcher searcher = Strategies.create(spec, toy.genes(), 2);
        SplittableRandom shuffle = new SplittableRandom(5);
        for (List<Genome> expected : inOrder.batches) {
            List<Genome> batch = searcher.ask(spec.batchSize());
            assertEquals(expected, batch);
            List<Observation> told =
                    new ArrayList<>(batch.stream().map(toy::evaluate).toList());
            Collections.shuffle(told, new Random(shuffle.nextLong()));
            searcher.tell(told);
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void differentSeedsGiveDifferentProposals(StrategySpec spec) {
        ToyProblem toy = new ToyProblem(12);
        assertNotEquals(run(withSeed(spec, 1), toy, 32).batches, run(withSeed(spec, 2), toy, 32).batches);
    }

    @ParameterizedTest
    @MethodSource("specs")
    void proposalsAreWithinTheSpaceAndNeverRepeated(StrategySpec spec) {
        ToyProblem toy = new ToyProblem(12);
        SearchRun run = run(spec, toy, 64);
        Set<Genome> seen = new HashSet<>();
        for (List<Genome> batch : run.batches) {
            for (Genome g : batch) {
                assertEquals(toy.genes().size(), g.size());
                for (int i = 0; i < g.size(); i++) {
                    assertTrue(g.get(i) < toy.genes().get(i).cardinality(), g + " outside the space at gene " + i);
                }
                assertTrue(seen.add(g), g + " proposed twice");
            }
        }
        assertEquals(64, seen.size());
    }

    @ParameterizedTest
    @MethodSource("specs")
    void failedGenomesAreNeverProposedAgain(StrategySpec spec) {
        ToyProblem toy = new ToyProblem(6);
        // half of the space fails; the rest is the toy problem
        Searcher searcher = Strategies.create(spec, toy.genes(), 2);
        SearchRun run = SearchRun.run(searcher, g -> g.get(2) < 2 ? Observation.failed(g) : toy.evaluate(g), 80, 8);
        Set<Genome> failed = new HashSet<>();
        for (List<Genome> batch : run.batches) {
            for (Genome g : batch) {
                assertFalse(failed.contains(g), g + " failed before and was proposed again");
            }
            batch.stream().filter(g -> run.evaluated.get(g).failed()).forEach(failed::add);
        }
        assertFalse(failed.isEmpty());
    }

    @ParameterizedTest
    @MethodSource("specs")
    void batchSizesAreHonoured(StrategySpec spec) {
        ToyProblem toy = new ToyProblem(12);
        Searcher searcher = Strategies.create(spec, toy.genes(), 2);
        assertThrows(IllegalArgumentException.class, () -> searcher.ask(0));
        List<Genome> partial = searcher.ask(3);
        assertEquals(3, partial.size());
        searcher.tell(partial.stream().map(toy::evaluate).toList());
        for (int round = 0; round < 4; round++) {
            List<Genome> batch = searcher.ask(100);
            assertEquals(spec.batchSize(), batch.size());
            assertEquals(batch.size(), new HashSet<>(batch).size(), "duplicates in " + batch);
            searcher.tell(batch.stream().map(toy::evaluate).toList());
        }
        List<Genome> last = searcher.ask(5);
        assertEquals(5, last.size());
    }

    @ParameterizedTest
    @MethodSource("specs")
    void aSmallerAskIsAPrefixOfALargerOne(StrategySpec spec) {
        ToyProblem toy = new ToyProblem(12);
        for (int rounds = 0; rounds < 3; rounds++) {
            Searcher small = Strategies.create(spec, toy.genes(), 2);
            Searcher large = Strategies.create(spec, toy.genes(), 2);
            for (int r = 0; r < rounds; r++) {
                List<Genome> batch = large.ask(8);
                assertEquals(batch, small.ask(8));
                List<Observation> told = batch.stream().map(toy::evaluate).toList();
                large.tell(told);
                small.tell(told);
            }
            assertEquals(large.ask(8).subList(0, 3), small.ask(3), "after " + rounds + " rounds");
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void anExhaustedSpaceGivesAnEmptyBatch(StrategySpec spec) {
        List<Gene> genes = List.of(
                new Gene("a", "bits", List.of("4", "8"), true), new Gene("b", "bits", List.of("4", "8", "16"), true));
        Searcher searcher = Strategies.create(spec, genes, 2);
        SearchRun run = SearchRun.run(searcher, g -> Observation.ok(g, new double[] {g.get(0), g.get(1)}, 0), 100, 4);
        assertEquals(6, run.evaluated.size());
        assertEquals(List.of(), searcher.ask(4));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void threeObjectivesWork(StrategySpec spec) {
        ToyProblem toy = new ToyProblem(10);
        Searcher searcher = Strategies.create(spec, toy.genes(), 3);
        SearchRun run = SearchRun.run(
                searcher,
                g -> {
                    Observation o = toy.evaluate(g);
                    return o.failed()
                            ? o
                            : Observation.ok(
                                    g,
                                    new double[] {o.objectives()[0], o.objectives()[1], g.get(3) + 0.5 * g.get(5)},
                                    o.violation());
                },
                40,
                8);
        assertEquals(40, run.evaluated.size());
    }

    @ParameterizedTest
    @MethodSource("specs")
    void badObservationsAreClearErrors(StrategySpec spec) {
        ToyProblem toy = new ToyProblem(4);
        Searcher searcher = Strategies.create(spec, toy.genes(), 2);
        Genome g = searcher.ask(1).get(0);
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> searcher.tell(List.of(Observation.ok(g, new double[] {1, 2, 3}, 0))));
        assertTrue(e.getMessage().contains("must have 2 objectives"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> searcher.tell(List.of(Observation.ok(Genome.of(0, 0, 9, 0), new double[] {1, 2}, 0))));
        assertTrue(e.getMessage().contains("must be < 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> searcher.tell(List.of(Observation.failed(Genome.of(0, 0)))));
    }
}

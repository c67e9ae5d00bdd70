package dev.qtune.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.search.space.Genome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class Nsga2SearcherTest {
    private final ToyProblem toy = new ToyProblem(12);

    private Nsga2Searcher searcher(long seed) {
        return (Nsga2Searcher) Strategies.create(Nsga2Spec.defaults(seed), toy.genes(), 2);
    }

    @Test
    void survivorsAreFeasibleFrontThenDominatedThenInfeasibleByViolationThenFailed() {
        Nsga2Searcher s = searcher(1);
        List<Genome> g = s.ask(8);
        s.tell(List.of(
                Observation.failed(g.get(0)),
                Observation.ok(g.get(1), new double[] {0, 0}, 2),
                Observation.ok(g.get(2), new double[] {3, 3}, 0),
                Observation.ok(g.get(3), new double[] {1, 4}, 0),
                Observation.ok(g.get(4), new double[] {0, 0}, 1),
                Observation.ok(g.get(5), new double[] {2, 2}, 0),
                Observation.failed(g.get(6)),
                Observation.ok(g.get(7), new double[] {4, 1}, 0)));
        List<Genome> population = s.population();
        assertEquals(Set.of(g.get(3), g.get(5), g.get(7)), Set.copyOf(population.subList(0, 3)));
        assertEquals(List.of(g.get(2), g.get(4), g.get(1)), population.subList(3, 6));
        assertEquals(Set.of(g.get(0), g.get(6)), Set.copyOf(population.subList(6, 8)));
    }

    @Test
    void survivorSelectionIsMuPlusLambda() {
        Nsga2Searcher s = searcher(2);
        SearchRun run = SearchRun.run(s, toy::evaluate, 64, 8);
        List<Observation> all = run.observations();
        List<Genome> population = s.population();
        assertEquals(8, population.size());
        // the best feasible trial for each objective ever seen survives (extremes get infinite crowding)
        for (int k = 0; k < 2; k++) {
            final int objective = k;
            Observation best = all.stream()
                    .filter(Observation::feasible)
                    .min(Comparator.comparingDouble(o -> o.objectives()[objective]))
                    .orElseThrow();
            double bestValue = best.objectives()[k];
            assertTrue(
                    population.stream()
                            .map(run.evaluated::get)
                            .anyMatch(o -> o.feasible() && o.objectives()[objective] == bestValue),
                    "objective " + k);
        }
    }

    @Test
    void mustBeToldBeforeTheNextGeneration() {
        Nsga2Searcher s = searcher(3);
        s.ask(8);
        var e = assertThrows(IllegalStateException.class, () -> s.ask(8));
        assertTrue(e.getMessage().contains("told"), e.getMessage());
    }

    @Test
    void partialGenerationsAndToldOnlyGenomesJoinThePopulation() {
        Nsga2Searcher s = searcher(4);
        List<Genome> first = s.ask(3);
        s.tell(first.stream().map(toy::evaluate).toList());
        assertEquals(3, s.population().size());
        // a resumed search tells trials it never asked for
        Nsga2Searcher resumed = searcher(4);
        resumed.tell(first.stream().map(toy::evaluate).toList());
        assertEquals(Set.copyOf(s.population()), Set.copyOf(resumed.population()));
        List<Genome> next = resumed.ask(8);
        assertEquals(8, next.size());
        assertTrue(next.stream().noneMatch(first::contains));
        assertEquals(8, s.ask(8).size());
    }

    @Test
    void concurrentSearchesDoNotShareRandomness() throws Exception {
        List<List<List<Genome>>> alone = new ArrayList<>();
        for (long seed = 10; seed < 14; seed++) {
            alone.add(SearchRun.run(searcher(seed), toy::evaluate, 80, 8).batches);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<List<Genome>>>> futures = new ArrayList<>();
            for (long seed = 10; seed < 14; seed++) {
                final long s = seed;
                futures.add(pool.submit(() -> SearchRun.run(searcher(s), toy::evaluate, 80, 8).batches));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(alone.get(i), futures.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

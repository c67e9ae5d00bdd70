package dev.qtune.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.search.space.Genome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BayesianSearcherTest {
    private final ToyProblem toy = new ToyProblem(12);

    /** Gene 4 (cardinality 5) at any value but 0 misses the constraint: 80% of the space is infeasible. */
    private Observation constrained(Genome g) {
        Observation o = toy.evaluate(g);
        return o.failed() ? o : Observation.ok(g, o.objectives(), g.get(4));
    }

    @Test
    void theModelSteersTowardsTheFeasibleRegion() {
        for (AcquisitionKind acquisition : AcquisitionKind.values()) {
            Searcher s = Strategies.create(new BayesianSpec(3, 8, 24, acquisition, false), toy.genes(), 2);
            SearchRun run = SearchRun.run(s, this::constrained, 48, 8);
            List<Observation> modelled = run.observations().subList(24, 48);
            long feasible = modelled.stream().filter(Observation::feasible).count();
            assertTrue(feasible >= 12, acquisition + ": " + feasible + " of 24 model proposals feasible");
        }
    }

    @Test
    void theFirstInitialSamplesAreTheUniformGenomesRandomSearchWouldPropose() {
        BayesianSpec spec = new BayesianSpec(3, 8, 12, AcquisitionKind.EHVI, false);
        SearchRun bayesian = SearchRun.run(Strategies.create(spec, toy.genes(), 2), toy::evaluate, 24, 8);
        SearchRun random =
                SearchRun.run(Strategies.create(new RandomSpec(3, 8, false), toy.genes(), 2), toy::evaluate, 24, 8);
        assertEquals(random.batches.get(0), bayesian.batches.get(0));
        assertEquals(
                random.batches.get(1).subList(0, 4), bayesian.batches.get(1).subList(0, 4));
        assertNotEquals(
                random.batches.get(1).subList(4, 8), bayesian.batches.get(1).subList(4, 8));
    }

    @Test
    void allFailedTrialsLeaveTheSearchRandomButNeverRepeated() {
        Searcher s = Strategies.create(new BayesianSpec(3, 8, 4, AcquisitionKind.EHVI, false), toy.genes(), 2);
        List<Genome> seen = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            List<Genome> batch = s.ask(8);
            assertEquals(8, batch.size());
            assertTrue(batch.stream().noneMatch(seen::contains));
            seen.addAll(batch);
            s.tell(batch.stream().map(Observation::failed).toList());
        }
    }
}

package dev.qtune.search.strategy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * Over fixed seeds (deterministic, so not flaky), NSGA-II and Bayesian optimisation find a better
 * feasible front than random search on a 20-gene toy problem at an equal budget of 100 trials.
 */
class StrategyComparisonTest {
    private static final long[] SEEDS = {11, 22, 33};
    private static final int BUDGET = 100;

    private static double meanHypervolume(StrategySpec base) {
        ToyProblem toy = new ToyProblem(20);
        double[] hv = new double[SEEDS.length];
        for (int s = 0; s < SEEDS.length; s++) {
            StrategySpec spec = base.withSeed(SEEDS[s]);
            Searcher searcher = Strategies.create(spec, toy.genes(), 2);
            SearchRun run = SearchRun.run(searcher, toy::evaluate, BUDGET, spec.batchSize());
            hv[s] = toy.hypervolume(run.observations());
        }
        System.err.println(base + " " + Arrays.toString(hv));
        return Arrays.stream(hv).average().orElseThrow();
    }

    @Test
    void nsga2AndBayesianBeatRandomAtEqualBudget() {
        double random = meanHypervolume(new RandomSpec(0, 10, false));
        double nsga2 = meanHypervolume(new Nsga2Spec(0, 10, OptionalDouble.empty(), 0.7, false, false));
        double ehvi = meanHypervolume(new BayesianSpec(0, 10, 20, AcquisitionKind.EHVI, false));
        double parego = meanHypervolume(new BayesianSpec(0, 10, 20, AcquisitionKind.PAREGO, false));
        System.err.printf("random %.3f nsga2 %.3f ehvi %.3f parego %.3f%n", random, nsga2, ehvi, parego);
        assertTrue(nsga2 > random, "nsga2 " + nsga2 + " vs random " + random);
        assertTrue(ehvi > random, "ehvi " + ehvi + " vs random " + random);
        assertTrue(parego > random, "parego " + parego + " vs random " + random);
    }
}

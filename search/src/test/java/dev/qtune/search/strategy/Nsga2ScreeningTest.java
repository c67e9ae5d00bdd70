package dev.qtune.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.search.space.Gene;
import dev.qtune.search.space.Genome;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * NSGA-II screening its offspring by the sensitivity model ({@code screening}) on {@link QuantToy}:
 * from the same random first generation (no seeds from the model), the screened search reaches a
 * larger hypervolume in the same number of trials, on every seed and on average; without a table
 * screening changes nothing.
 */
class Nsga2ScreeningTest {
    private static final int GENERATIONS = 5;
    private static final int BATCH = 8;

    private static Searcher nsga2(long seed, boolean screening, boolean withTable) {
        List<Gene> genes = QuantToy.genes();
        Nsga2Spec spec = new Nsga2Spec(seed, BATCH, OptionalDouble.empty(), 0.7, false, screening);
        return Strategies.create(
                spec, genes, 2, List.of(), withTable ? Optional.of(QuantToy.table(genes)) : Optional.empty());
    }

    @Test
    void screenedOffspringReachMoreHypervolumeInTheSameTrials() {
        double screened = 0;
        double plain = 0;
        int wins = 0;
        for (long seed = 1; seed <= 5; seed++) {
            double s = QuantToy.hypervolume(nsga2(seed, true, true), GENERATIONS, BATCH);
            double p = QuantToy.hypervolume(nsga2(seed, false, true), GENERATIONS, BATCH);
            screened += s;
            plain += p;
            wins += s > p ? 1 : 0;
        }
        assertTrue(screened > 1.05 * plain, "mean HV screened " + screened / 5 + " vs plain " + plain / 5);
        assertTrue(wins >= 4, "screened ahead on " + wins + " of 5 seeds");
    }

    @Test
    void theFirstGenerationIsTheSameAndScreeningNeedsATable() {
        List<Genome> screenedFirst = nsga2(3, true, true).ask(BATCH);
        List<Genome> plainFirst = nsga2(3, false, true).ask(BATCH);
        assertEquals(plainFirst, screenedFirst, "no seeds asked for: both start from the same random generation");

        Searcher noTable = nsga2(3, true, false);
        Searcher plain = nsga2(3, false, false);
        assertEquals(
                QuantToy.hypervolume(plain, 3, BATCH),
                QuantToy.hypervolume(noTable, 3, BATCH),
                "without a sensitivity table the screening spec runs plain NSGA-II");
    }
}

package dev.qtune.search.strategy;

import dev.qtune.search.space.Genome;
import java.util.List;

/**
 * A search strategy in ask/tell form. The search loop asks for a batch (one generation), runs the
 * trials (in parallel, anywhere), and tells every outcome back before it asks again. Given the same
 * seed, space and observations, a strategy proposes the same genomes (reproducible).
 */
public interface Searcher {
    /** The strategy's name as experiment files spell it (nsga2, bayesian, random). */
    String name();

    /**
     * The next batch to evaluate, at most {@code max} genomes (max >= 1), all within the space.
     * A batch may repeat a genome told before (the loop answers it from its memo without a trial);
     * an empty batch means the strategy has nothing more to propose.
     */
    List<Genome> ask(int max);

    /** The outcomes of the last batch: one observation per asked genome, in any order. */
    void tell(List<Observation> observations);
}

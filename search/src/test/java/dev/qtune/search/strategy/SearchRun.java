package dev.qtune.search.strategy;

import dev.qtune.search.space.Genome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A minimal search loop for tests: ask, evaluate (memoised), tell, until a budget of distinct trials. */
final class SearchRun {
    final List<List<Genome>> batches = new ArrayList<>();
    final Map<Genome, Observation> evaluated = new LinkedHashMap<>();

    static SearchRun run(Searcher searcher, Function<Genome, Observation> evaluator, int budget, int maxPerAsk) {
        SearchRun run = new SearchRun();
        while (run.evaluated.size() < budget) {
            List<Genome> batch = searcher.ask(Math.min(maxPerAsk, budget - run.evaluated.size()));
            if (batch.isEmpty()) {
                break;
            }
            run.batches.add(batch);
            List<Observation> told = new ArrayList<>();
            for (Genome g : batch) {
                told.add(run.evaluated.computeIfAbsent(g, evaluator));
            }
            searcher.tell(told);
        }
        return run;
    }

    List<Observation> observations() {
        return List.copyOf(evaluated.values());
    }
}

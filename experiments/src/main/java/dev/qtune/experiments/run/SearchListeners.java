package dev.qtune.experiments.run;

import dev.qtune.search.loop.GenerationSummary;
import dev.qtune.search.loop.SearchListener;
import dev.qtune.search.trial.TrialResult;
import dev.qtune.search.trial.TrialSpec;
import java.util.List;

/** Listener plumbing. */
public final class SearchListeners {
    private SearchListeners() {}

    /** Tells {@code first}, then {@code second}. */
    public static SearchListener both(SearchListener first, SearchListener second) {
        return new SearchListener() {
            @Override
            public void generationStarted(int generation, List<TrialSpec> trials) {
                first.generationStarted(generation, trials);
                second.generationStarted(generation, trials);
            }

            @Override
            public void trialFinished(TrialResult result) {
                first.trialFinished(result);
                second.trialFinished(result);
            }

            @Override
            public void sensitivityProgress(int done, int total) {
                first.sensitivityProgress(done, total);
                second.sensitivityProgress(done, total);
            }

            @Override
            public void generationFinished(GenerationSummary summary) {
                first.generationFinished(summary);
                second.generationFinished(summary);
            }
        };
    }
}

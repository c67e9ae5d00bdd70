package dev.qtune.search.loop;

import dev.qtune.search.trial.TrialResult;
import dev.qtune.search.trial.TrialSpec;
import java.util.List;

/** What a search reports as it goes (the run directory and the console listen). */
public interface SearchListener {
    /** A generation's new trials are about to run. */
    default void generationStarted(int generation, List<TrialSpec> trials) {}

    /** A new trial ended (not called for results replayed from a resumed log). */
    default void trialFinished(TrialResult result) {}

    /** {@code done} of {@code total} sensitivity probes have ended (the analysis before the search). */
    default void sensitivityProgress(int done, int total) {}

    /** A generation ended. */
    default void generationFinished(GenerationSummary summary) {}
}

package dev.qtune.search.loop;

import dev.qtune.search.trial.TrialResult;
import java.util.List;

/** How a search ended: every search trial (replayed ones included), the last generation's summary, and why it stopped. */
public record SearchOutcome(List<TrialResult> trials, GenerationSummary last, String stopReason) {
    public SearchOutcome {
        trials = List.copyOf(trials);
    }
}

package dev.qtune.search.loop;

import dev.qtune.search.trial.TrialResult;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The state after a generation: trials run so far (search trials, the budget's unit), failures,
 * the feasible Pareto front (sorted by latency), its hypervolume against {@code reference} (in
 * minimised objective space), the best feasible top-1, and the seconds since the search started.
 */
public record GenerationSummary(
        int generation,
        int trials,
        int failures,
        List<TrialResult> front,
        double hypervolume,
        double[] reference,
        OptionalDouble bestTop1,
        double elapsedSeconds) {
    public GenerationSummary {
        front = List.copyOf(front);
        reference = reference.clone();
    }
}

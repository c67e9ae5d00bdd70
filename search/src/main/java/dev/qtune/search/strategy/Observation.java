package dev.qtune.search.strategy;

import dev.qtune.search.space.Genome;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a strategy is told about one genome it proposed. {@code objectives} are all to be
 * minimised (e.g. top-1 error, latency in ms, size in bytes) and finite when the trial did not
 * fail. {@code violation} is 0 for a trial that meets the constraints, else how far it misses them
 * (e.g. accuracy points below the allowed drop); strategies prefer feasible trials, then smaller
 * violations. A {@code failed} trial (the compiler or the native module failed) has no objectives
 * (null); strategies rank it below every trial that ran and should not propose it again.
 */
public record Observation(Genome genome, double[] objectives, double violation, boolean failed) {
    public Observation {
        Objects.requireNonNull(genome, "genome");
        if (failed) {
            objectives = null;
        } else {
            Objects.requireNonNull(objectives, "objectives");
            objectives = objectives.clone();
            for (double v : objectives) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(
                            "objectives must be finite, but were " + Arrays.toString(objectives));
                }
            }
        }
        if (!(violation >= 0)) {
            throw new IllegalArgumentException("violation must be >= 0, but was " + violation);
        }
    }

    public static Observation ok(Genome genome, double[] objectives, double violation) {
        return new Observation(genome, objectives, violation, false);
    }

    public static Observation failed(Genome genome) {
        return new Observation(genome, null, 0, true);
    }

    public boolean feasible() {
        return !failed && violation == 0;
    }
}

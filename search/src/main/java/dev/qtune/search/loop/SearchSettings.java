package dev.qtune.search.loop;

import java.util.List;
import java.util.OptionalDouble;

/**
 * How a search runs: its objectives (accuracy and latency first, optionally size), the lowest
 * acceptable value of the accuracy metric ({@code minAccuracy}, from the experiment's max_drop; empty =
 * unconstrained), the
 * budget (trials; optionally generations and wall-clock seconds, 0 = no limit), the validation
 * samples and benchmark seconds of a search trial, the failure rule, and the patience: generations
 * in a row without a hypervolume gain after which the search stops (0 = never), and the exit rule:
 * stop after the generation in which a trial reached {@code exitMinAccuracy} at no more than
 * {@code exitLatencyRatio} times the base config's latency (empty = no exit rule); and whether the
 * accuracy metric is a fraction in [0, 1] ({@code fractionAccuracy}; a command's number need not be).
 */
public record SearchSettings(
        List<Objective> objectives,
        OptionalDouble minAccuracy,
        int trials,
        int generations,
        double wallClockSeconds,
        int samples,
        double benchSeconds,
        FailureRule onFailure,
        int patience,
        OptionalDouble exitMinAccuracy,
        double exitLatencyRatio,
        boolean fractionAccuracy) {
    public SearchSettings {
        objectives = List.copyOf(objectives);
        if (objectives.size() < 2
                || objectives.get(0) != Objective.ACCURACY
                || objectives.get(1) != Objective.LATENCY) {
            throw new IllegalArgumentException("objectives must start with accuracy, latency, but were " + objectives);
        }
        if (trials < 1) {
            throw new IllegalArgumentException("budget trials must be >= 1, but was " + trials);
        }
        if (generations < 0 || wallClockSeconds < 0) {
            throw new IllegalArgumentException(
                    "generations and wall clock must be >= 0, but were " + generations + " and " + wallClockSeconds);
        }
        if (samples < 1 || !(benchSeconds > 0)) {
            throw new IllegalArgumentException(
                    "samples must be >= 1 and bench seconds > 0, but were " + samples + " and " + benchSeconds);
        }
    }
}

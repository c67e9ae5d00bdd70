package dev.qtune.search.loop;

import dev.qtune.search.trial.TrialMetrics;
import java.util.Locale;

/** What the search optimises, each as a value to minimise. */
public enum Objective {
    /** Maximise the accuracy metric (top-1 unless the experiment names another): minimise 1 - accuracy. */
    ACCURACY,
    /** Minimise the median batch-1 latency in ms. */
    LATENCY,
    /** Minimise the size of the model's constants in MB. */
    SIZE;

    public double minimised(TrialMetrics m) {
        return switch (this) {
            case ACCURACY -> 1 - m.accuracy();
            case LATENCY -> m.latencyMedianMs();
            case SIZE -> m.sizeBytes() / 1e6;
        };
    }

    /** The name as experiment files spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

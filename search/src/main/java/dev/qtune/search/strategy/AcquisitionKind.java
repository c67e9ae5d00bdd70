package dev.qtune.search.strategy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The Bayesian searcher's acquisition: expected hypervolume improvement, or ParEGO scalarisation. */
public enum AcquisitionKind {
    EHVI("ehvi"),
    PAREGO("parego");

    private final String label;

    AcquisitionKind(String label) {
        this.label = label;
    }

    /** The name in experiment files. */
    public String label() {
        return label;
    }

    public static Optional<AcquisitionKind> fromLabel(String label) {
        return Arrays.stream(values()).filter(a -> a.label.equals(label)).findFirst();
    }

    /** The labels of all acquisitions. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(AcquisitionKind::label).toList();
    }
}

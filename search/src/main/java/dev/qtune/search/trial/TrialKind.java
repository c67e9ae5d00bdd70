package dev.qtune.search.trial;

import java.util.Locale;

/** Why a trial ran: proposed by the search, a reference point (baseline), the final re-measure of a front member, or a sensitivity probe. */
public enum TrialKind {
    SEARCH,
    BASELINE,
    FINAL,
    /** A probe of the sensitivity analysis: the base config with one layer's one choice moved. */
    SENSITIVITY;

    /** The name as run-directory files spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TrialKind parse(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}

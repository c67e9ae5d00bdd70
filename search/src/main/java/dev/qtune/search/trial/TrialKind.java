package dev.qtune.search.trial;

import java.util.Locale;

/** Why a trial ran: proposed by the search, a reference point (baseline), or the final re-measure of a front member. */
public enum TrialKind {
    SEARCH,
    BASELINE,
    FINAL;

    /** The name as run-directory files spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TrialKind parse(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}

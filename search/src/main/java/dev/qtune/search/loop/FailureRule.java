package dev.qtune.search.loop;

import java.util.Locale;

/**
 * What the search does with a FAILED trial (always recorded first): {@code PENALIZE} tells the
 * strategy it failed (ranked below every trial that ran, never proposed again) and goes on;
 * {@code ABORT} stops the search after recording it.
 */
public enum FailureRule {
    PENALIZE,
    ABORT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

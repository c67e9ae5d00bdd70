package dev.qtune.search.trial;

/** How a trial ended: OK with metrics, or FAILED with a reason (never dropped). */
public enum TrialStatus {
    OK,
    FAILED
}

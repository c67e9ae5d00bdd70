package dev.qtune.search.trial;

/**
 * Runs one trial end to end. Never throws for a bad configuration or a failing native module: that
 * is a FAILED result with its reason. Implementations are safe to call from several threads.
 */
public interface TrialEvaluator {
    TrialResult evaluate(TrialSpec spec);
}

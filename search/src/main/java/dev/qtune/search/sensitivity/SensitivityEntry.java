package dev.qtune.search.sensitivity;

import dev.qtune.search.space.GeneKey;

/**
 * What moving one layer's one choice away from the base config did: the change of the network's
 * KL divergence from fp32 ({@code dDivergence}, nats, mean over the images), of top-1 against the
 * labels and of agreement with fp32 (fractions), of batch-1 latency (ms; 0 where the change was
 * within the base config's own spread) and of model size (bytes). {@code ok} is false when the
 * probe failed ({@code reason} says why); its deltas are then meaningless and the option is
 * never predicted.
 */
public record SensitivityEntry(
        String layer,
        String kind,
        String value,
        boolean ok,
        String reason,
        double dDivergence,
        double dTop1,
        double dAgreement,
        double dLatencyMs,
        double dSizeBytes) {

    /** The gene this entry moves. */
    public GeneKey gene() {
        return new GeneKey(layer, kind);
    }
}

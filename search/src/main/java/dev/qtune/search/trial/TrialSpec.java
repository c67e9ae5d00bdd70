package dev.qtune.search.trial;

import dev.qtune.search.space.Decoded;
import java.util.Objects;

/**
 * One trial to run: its number in the run (0-based), its generation, why it runs, a label
 * (baselines; empty otherwise), the decoded configs, and how carefully to measure: {@code samples}
 * validation images (0 = all) and {@code benchSeconds} of latency timing.
 */
public record TrialSpec(
        int number, int generation, TrialKind kind, String label, Decoded decoded, int samples, double benchSeconds) {
    public TrialSpec {
        if (number < 0 || generation < 0) {
            throw new IllegalArgumentException(
                    "trial number and generation must be >= 0, but were " + number + " and " + generation);
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(decoded, "decoded");
        if (samples < 0) {
            throw new IllegalArgumentException("samples must be >= 0, but was " + samples);
        }
        if (!(benchSeconds > 0)) {
            throw new IllegalArgumentException("bench seconds must be > 0, but was " + benchSeconds);
        }
    }

    /** This trial with other decoded configs (a baseline's become known as its file is imported). */
    public TrialSpec withDecoded(Decoded other) {
        return new TrialSpec(number, generation, kind, label, other, samples, benchSeconds);
    }

    /** "t0007" (final re-measures: "f0007"; baselines, numbered apart from the search: "b0001"). */
    public String id() {
        String prefix = switch (kind) {
            case SEARCH -> "t";
            case BASELINE -> "b";
            case FINAL -> "f";
            case SENSITIVITY -> "s";
        };
        return String.format("%s%04d", prefix, number);
    }
}

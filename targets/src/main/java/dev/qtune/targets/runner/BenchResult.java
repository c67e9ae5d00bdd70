package dev.qtune.targets.runner;

import dev.qtune.targets.ProcessResult;
import java.util.List;

/**
 * The outcome of a native {@code bench} run at batch 1: whole-run latency percentiles in
 * milliseconds over {@code runs} timed runs, optional per-layer times (in the module's layer
 * order), or on failure the reason.
 */
public record BenchResult(
        boolean ok,
        String reason,
        int runs,
        int threads,
        double medianMs,
        double p10Ms,
        double p90Ms,
        List<LayerTime> layers,
        ProcessResult process) {
    public BenchResult {
        layers = List.copyOf(layers);
    }

    /** Mean time of one layer per run. */
    public record LayerTime(String name, double ms) {}

    static BenchResult failed(String reason, ProcessResult process) {
        return new BenchResult(false, reason, 0, 0, Double.NaN, Double.NaN, Double.NaN, List.of(), process);
    }
}

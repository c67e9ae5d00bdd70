package dev.qtune.search.trial;

import dev.qtune.compiler.lower.ScheduleConfig;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one trial: OK with metrics, or FAILED with a reason (the stage and the error);
 * per-stage times, provenance, and the schedule the module was actually built with (every knob
 * value, defaults included; empty when the trial failed before code generation).
 */
public record TrialResult(
        TrialSpec spec,
        TrialStatus status,
        String reason,
        Optional<TrialMetrics> metrics,
        StageTimes times,
        Provenance provenance,
        ScheduleConfig schedule,
        Instant finished) {
    public TrialResult {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(metrics, "metrics");
        if ((status == TrialStatus.OK) != metrics.isPresent()) {
            throw new IllegalArgumentException("an OK trial must have metrics and a FAILED one none, but " + spec.id()
                    + " is " + status + " with" + (metrics.isPresent() ? "" : "out") + " metrics");
        }
        Objects.requireNonNull(times, "times");
        Objects.requireNonNull(provenance, "provenance");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(finished, "finished");
    }

    /** A trial that failed before it ran any stage (its executor could not run it): no times, no schedule. */
    public static TrialResult failed(TrialSpec spec, String reason, Provenance provenance) {
        return new TrialResult(
                spec,
                TrialStatus.FAILED,
                reason,
                Optional.empty(),
                StageTimes.NONE,
                provenance,
                ScheduleConfig.EMPTY,
                Instant.now());
    }

    /** The same result with other latency figures (an OK result; a FAILED one is returned as it is). */
    public TrialResult withLatency(double medianMs, double p10Ms, double p90Ms) {
        return metrics.isEmpty()
                ? this
                : new TrialResult(
                        spec,
                        status,
                        reason,
                        Optional.of(metrics.get().withLatency(medianMs, p10Ms, p90Ms)),
                        times,
                        provenance,
                        schedule,
                        finished);
    }

    public boolean ok() {
        return status == TrialStatus.OK;
    }
}

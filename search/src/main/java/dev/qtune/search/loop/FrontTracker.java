package dev.qtune.search.loop;

import dev.qtune.search.pareto.Hypervolume;
import dev.qtune.search.pareto.ParetoFront;
import dev.qtune.search.trial.TrialResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Objectives, constraint violation, the feasible front and its hypervolume for a search's
 * results. The hypervolume's reference point is fixed once: 1 - the lowest acceptable accuracy (1
 * without a constraint; for a metric that is not a fraction, the worst accuracy objective of the
 * first generation that had a successful trial, plus a tenth), and for latency (and size) 1.1 x the worst value of the first generation that had a
 * successful trial, so hypervolumes of one run compare across
 * generations (and a resumed run derives the same point from the same replayed generation).
 */
final class FrontTracker {
    private final SearchSettings settings;
    private double[] reference;

    FrontTracker(SearchSettings settings) {
        this.settings = settings;
    }

    double[] objectives(TrialResult r) {
        var m = r.metrics().orElseThrow();
        return settings.objectives().stream().mapToDouble(o -> o.minimised(m)).toArray();
    }

    /** Accuracy below the constraint, in points for fractions (0 when met or unconstrained). */
    double violation(TrialResult r) {
        double accuracy = r.metrics().orElseThrow().accuracy();
        return settings.minAccuracy().isPresent()
                ? Math.max(
                        0,
                        (settings.fractionAccuracy() ? 100 : 1)
                                * (settings.minAccuracy().getAsDouble() - accuracy))
                : 0;
    }

    GenerationSummary summarise(int generation, List<TrialResult> results, double elapsed) {
        List<TrialResult> feasible = results.stream()
                .filter(TrialResult::ok)
                .filter(r -> violation(r) == 0)
                .toList();
        List<double[]> points = feasible.stream().map(this::objectives).toList();
        if (reference == null && results.stream().anyMatch(TrialResult::ok)) {
            reference = reference(results);
        }
        List<TrialResult> front = new ArrayList<>();
        for (int i : ParetoFront.indices(points)) {
            front.add(feasible.get(i));
        }
        front.sort(Comparator.comparingDouble(r -> r.metrics().orElseThrow().latencyMedianMs()));
        double hv = reference == null || points.isEmpty() ? 0 : Hypervolume.of(points, reference);
        int failures = (int) results.stream().filter(r -> !r.ok()).count();
        OptionalDouble best = feasible.stream()
                .mapToDouble(r -> r.metrics().orElseThrow().accuracy())
                .max();
        return new GenerationSummary(
                generation,
                results.size(),
                failures,
                front,
                hv,
                reference == null ? new double[settings.objectives().size()] : reference,
                best,
                elapsed);
    }

    private double[] reference(List<TrialResult> results) {
        int k = settings.objectives().size();
        double[] ref = new double[k];
        ref[0] = 1 - settings.minAccuracy().orElse(0);
        if (settings.minAccuracy().isEmpty() && !settings.fractionAccuracy()) {
            double worst = results.stream()
                    .filter(TrialResult::ok)
                    .mapToDouble(r -> objectives(r)[0])
                    .max()
                    .orElse(1);
            ref[0] = worst + 0.1 * Math.max(Math.abs(worst), 1e-6);
        }
        for (int i = 1; i < k; i++) {
            int obj = i;
            double worst = results.stream()
                    .filter(TrialResult::ok)
                    .mapToDouble(r -> objectives(r)[obj])
                    .max()
                    .orElse(1);
            ref[i] = 1.1 * worst;
        }
        return ref;
    }
}

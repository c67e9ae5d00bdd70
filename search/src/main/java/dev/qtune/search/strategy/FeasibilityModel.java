package dev.qtune.search.strategy;

import java.util.List;

/**
 * The probability that a candidate meets the constraints: a Gaussian process on the violations
 * of the trials that ran (0 for feasible ones) and P(violation <= tau) under its posterior, with
 * tau half the smallest positive violation seen, so that a candidate predicted at "feasible"
 * values gets a probability well above one half. Absent (probability 1) while no trial was
 * infeasible.
 */
final class FeasibilityModel {
    private final CandidatePosterior posterior;
    private final double threshold;

    private FeasibilityModel(CandidatePosterior posterior, double threshold) {
        this.posterior = posterior;
        this.threshold = threshold;
    }

    /** The model, or null when every trial so far was feasible (nothing to learn). */
    static FeasibilityModel fit(List<Observation> data, double[][] trainD2, double[][] cx, double[][] d2) {
        double smallest = Double.POSITIVE_INFINITY;
        double[] violations = new double[data.size()];
        for (int i = 0; i < violations.length; i++) {
            violations[i] = data.get(i).violation();
            if (violations[i] > 0) {
                smallest = Math.min(smallest, violations[i]);
            }
        }
        if (smallest == Double.POSITIVE_INFINITY) {
            return null;
        }
        CandidatePosterior p = GaussianProcess.fit(trainD2, violations).posterior(cx, d2);
        return new FeasibilityModel(p, smallest / 2);
    }

    double probability(int i) {
        double sd = posterior.sd(i);
        double d = threshold - posterior.mean(i);
        if (sd < 1e-12) {
            return d >= 0 ? 1 : 0;
        }
        return Gaussian.cdf(d / sd);
    }

    /** Kriging believer for candidate {@code j}; returns whether it is believed feasible. */
    boolean believe(int j) {
        boolean feasible = posterior.mean(j) <= threshold;
        posterior.believe(j);
        return feasible;
    }
}

package dev.qtune.search.strategy;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * ParEGO: for each proposal a random weight vector (uniform on the simplex), the augmented
 * Chebyshev scalarisation max_k w_k y_k + rho * sum_k w_k y_k of the scaled objectives (rho 0.05),
 * one Gaussian process on that scalar (believed points of the batch included at their posterior
 * means), and expected improvement over the best feasible scalar, times the probability of
 * feasibility (feasibility alone while nothing is feasible).
 */
final class ParegoAcquisition implements Acquisition {
    private static final double RHO = 0.05;

    @Override
    public int next(AcquisitionContext context, RandomGenerator random) {
        double[] w = weights(context.objectives(), random);
        List<double[]> y = context.trainingObjectives();
        List<Boolean> feasible = context.trainingFeasible();
        double[] s = new double[y.size()];
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < s.length; i++) {
            s[i] = scalarise(y.get(i), w);
            if (feasible.get(i)) {
                best = Math.min(best, s[i]);
            }
        }
        if (best == Double.POSITIVE_INFINITY) {
            return context.best(context::feasibility);
        }
        double[][] x = context.trainingX().toArray(double[][]::new);
        CandidatePosterior p = GaussianProcess.fit(GenomeEncoder.squaredDistances(x, x), s)
                .posterior(context.encodedCandidates(), context.candidateDistances());
        final double incumbent = best;
        return context.best(i -> context.feasibility(i) * Gaussian.psi(incumbent, p.mean(i), p.sd(i)));
    }

    static double scalarise(double[] y, double[] w) {
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int k = 0; k < y.length; k++) {
            max = Math.max(max, w[k] * y[k]);
            sum += w[k] * y[k];
        }
        return max + RHO * sum;
    }

    static double[] weights(int m, RandomGenerator random) {
        double[] w = new double[m];
        double total = 0;
        for (int k = 0; k < m; k++) {
            w[k] = -Math.log(1 - random.nextDouble());
            total += w[k];
        }
        for (int k = 0; k < m; k++) {
            w[k] /= total;
        }
        return w;
    }
}

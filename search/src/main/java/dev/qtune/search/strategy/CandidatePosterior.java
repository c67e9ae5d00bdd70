package dev.qtune.search.strategy;

import java.util.ArrayList;
import java.util.List;

/**
 * A Gaussian process's posterior over a fixed candidate set, updatable by the kriging believer:
 * {@link #believe(int)} conditions on a candidate as if it had been observed at its posterior
 * mean. That leaves every mean unchanged and shrinks variances near the believed point, which is
 * computed incrementally (one extra Cholesky row per believed point, O(candidates x (d + n)) each)
 * instead of refitting.
 */
final class CandidatePosterior {
    private final GaussianProcess gp;
    private final double[][] cx;
    private final double[] mean;
    private final double[] var;
    private final double[][] v;
    private final List<double[]> believed = new ArrayList<>();

    CandidatePosterior(GaussianProcess gp, double[][] cx, double[] mean, double[] var, double[][] v) {
        this.gp = gp;
        this.cx = cx;
        this.mean = mean;
        this.var = var;
        this.v = v;
    }

    int size() {
        return mean.length;
    }

    /** Posterior mean at candidate {@code i}, in target units. */
    double mean(int i) {
        return gp.mean(mean[i]);
    }

    /** Posterior standard deviation of the latent function at candidate {@code i}, in target units. */
    double sd(int i) {
        return gp.sd(var[i]);
    }

    /** Conditions on candidate {@code j} observed (with the model's noise) at its posterior mean. */
    void believe(int j) {
        double[] u = new double[cx.length];
        double[] xj = cx[j];
        double[] vj = v[j];
        for (int c = 0; c < cx.length; c++) {
            double k = GaussianProcess.matern(GenomeEncoder.squaredDistance(cx[c], xj), gp.lengthScale());
            double cov = k - GaussianProcess.dot(v[c], vj);
            for (double[] b : believed) {
                cov -= b[c] * b[j];
            }
            u[c] = cov;
        }
        double scale = 1 / Math.sqrt(var[j] + gp.noise());
        for (int c = 0; c < u.length; c++) {
            u[c] *= scale;
            var[c] = Math.max(1e-12, var[c] - u[c] * u[c]);
        }
        believed.add(u);
    }
}

package dev.qtune.search.strategy;

import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;

/**
 * A Gaussian-process regression of one target over encoded genomes: isotropic Matérn 5/2 kernel,
 * targets standardised (zero mean, unit variance), kernel K = s^2 (C + g I) with C the unit
 * Matérn correlation. The length scale (a multiple of the median pairwise distance) and the noise
 * ratio g are chosen on a small grid by the log marginal likelihood, with the signal variance s^2
 * profiled out in closed form (s^2 = y' (C + g I)^-1 y / n). Solved with Commons Math's
 * {@link CholeskyDecomposition}; grid points whose matrix is not positive definite are skipped.
 */
final class GaussianProcess {
    private static final double[] LENGTH_FACTORS = {0.25, 0.5, 1, 2, 4};
    private static final double[] NOISE_RATIOS = {1e-6, 1e-3, 1e-2, 0.05, 0.2};
    private static final double SQRT5 = Math.sqrt(5);

    private final double yMean;
    private final double yScale;
    private final double lengthScale;
    private final double noise;
    private final double signal;
    private final double[][] lower;
    private final double[] beta;

    private record Fit(
            double lengthScale, double noise, double signal, double[][] lower, double[] beta, double logLikelihood) {}

    private GaussianProcess(double yMean, double yScale, Fit fit) {
        this.yMean = yMean;
        this.yScale = yScale;
        this.lengthScale = fit.lengthScale();
        this.noise = fit.noise();
        this.signal = fit.signal();
        this.lower = fit.lower();
        this.beta = fit.beta();
    }

    /** Fits {@code y} (one value per row of {@code x}); {@code d2} holds the rows' squared distances. */
    static GaussianProcess fit(double[][] d2, double[] y) {
        int n = y.length;
        if (n < 1 || d2.length != n) {
            throw new IllegalArgumentException("a Gaussian process needs one target per training point (>= 1), but had "
                    + n + " targets and " + d2.length + " points");
        }
        double mean = Arrays.stream(y).average().orElse(0);
        double sd = Math.sqrt(Arrays.stream(y).map(v -> (v - mean) * (v - mean)).sum() / n);
        double scale = sd > 1e-12 ? sd : 1;
        double[] z = Arrays.stream(y).map(v -> (v - mean) / scale).toArray();
        double base = medianDistance(d2);
        Fit best = null;
        for (double f : LENGTH_FACTORS) {
            for (double g : NOISE_RATIOS) {
                Fit fit = tryFit(d2, z, base * f, g);
                if (fit != null && (best == null || fit.logLikelihood() > best.logLikelihood())) {
                    best = fit;
                }
            }
        }
        if (best == null) {
            throw new IllegalStateException(
                    "no Gaussian-process hyperparameters gave a positive definite kernel for " + n + " points");
        }
        return new GaussianProcess(mean, scale, best);
    }

    /** Unit-amplitude Matérn 5/2 correlation at squared distance {@code d2}. */
    static double matern(double d2, double lengthScale) {
        double r = SQRT5 * Math.sqrt(d2) / lengthScale;
        return (1 + r + r * r / 3) * Math.exp(-r);
    }

    double lengthScale() {
        return lengthScale;
    }

    double noise() {
        return noise;
    }

    /**
     * The posterior of the latent function at the candidates {@code cx}, whose squared distances
     * to the training points are {@code d2} (candidates x training points).
     */
    CandidatePosterior posterior(double[][] cx, double[][] d2) {
        int c = cx.length;
        int n = beta.length;
        double[] mean = new double[c];
        double[] var = new double[c];
        double[][] v = new double[c][];
        for (int i = 0; i < c; i++) {
            double[] k = new double[n];
            double m = 0;
            for (int j = 0; j < n; j++) {
                k[j] = matern(d2[i][j], lengthScale);
                m += k[j] * beta[j];
            }
            v[i] = forwardSolve(k);
            mean[i] = m;
            var[i] = Math.max(1e-12, 1 - dot(v[i], v[i]));
        }
        return new CandidatePosterior(this, cx, mean, var, v);
    }

    /** Standardised units to target units: mean. */
    double mean(double standardised) {
        return yMean + yScale * standardised;
    }

    /** Unit-correlation variance to target-unit standard deviation. */
    double sd(double unitVariance) {
        return yScale * Math.sqrt(signal * unitVariance);
    }

    private static Fit tryFit(double[][] d2, double[] z, double lengthScale, double g) {
        int n = z.length;
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                k[i][j] = matern(d2[i][j], lengthScale);
                k[j][i] = k[i][j];
            }
            k[i][i] += g;
        }
        try {
            CholeskyDecomposition chol = new CholeskyDecomposition(new Array2DRowRealMatrix(k, false), 1e-10, 1e-12);
            double[][] l = chol.getL().getData();
            double[] b = chol.getSolver().solve(new ArrayRealVector(z, false)).toArray();
            double s2 = Math.max(1e-12, dot(z, b) / n);
            double halfLogDet = 0;
            for (int i = 0; i < n; i++) {
                halfLogDet += Math.log(l[i][i]);
            }
            double ll = -0.5 * n * Math.log(s2) - halfLogDet - 0.5 * n * (1 + Math.log(2 * Math.PI));
            return new Fit(lengthScale, g, s2, l, b, ll);
        } catch (NonPositiveDefiniteMatrixException e) {
            return null;
        }
    }

    private static double medianDistance(double[][] d2) {
        double[] d = Arrays.stream(d2)
                .flatMapToDouble(Arrays::stream)
                .filter(v -> v > 0)
                .sorted()
                .toArray();
        return d.length == 0 ? 1 : Math.sqrt(d[d.length / 2]);
    }

    /** Solves L v = k for the lower Cholesky factor L. */
    double[] forwardSolve(double[] k) {
        int n = k.length;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double s = k[i];
            double[] row = lower[i];
            for (int j = 0; j < i; j++) {
                s -= row[j] * v[j];
            }
            v[i] = s / row[i];
        }
        return v;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}

package dev.qtune.search.strategy;

/**
 * The standard normal density and distribution, and the expected shortfall psi(c) = E[(c - Y)^+]
 * of a normal Y ~ N(mu, sigma^2), the building block of expected improvement and of expected
 * hypervolume improvement. The distribution uses the Chebyshev erfc approximation of Numerical
 * Recipes (fractional error below 1.2e-7 everywhere, tails included), which is ample for ranking
 * acquisition values and much faster than a series to full precision.
 */
final class Gaussian {
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double INV_SQRT_2 = 1 / Math.sqrt(2);

    private Gaussian() {}

    static double pdf(double u) {
        return INV_SQRT_2PI * Math.exp(-0.5 * u * u);
    }

    static double cdf(double u) {
        return 0.5 * erfc(-u * INV_SQRT_2);
    }

    /** E[(c - Y)^+] for Y ~ N(mu, sigma^2); (c - mu)^+ when sigma is 0; 0 for c = -infinity. */
    static double psi(double c, double mu, double sigma) {
        if (c == Double.NEGATIVE_INFINITY) {
            return 0;
        }
        double d = c - mu;
        if (sigma < 1e-12) {
            return Math.max(d, 0);
        }
        double u = d / sigma;
        return Math.max(0, d * cdf(u) + sigma * pdf(u));
    }

    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double poly = -z * z
                - 1.26551223
                + t
                        * (1.00002368
                                + t
                                        * (0.37409196
                                                + t
                                                        * (0.09678418
                                                                + t
                                                                        * (-0.18628806
                                                                                + t
                                                                                        * (0.27886807
                                                                                                + t
                                                                                                        * (-1.13520398
                                                                                                                + t
                                                                                                                        * (1.48851587
                                                                                                                                + t
                                                                                                                                        * (-0.82215223
                                                                                                                                                + t
                                                                                                                                                        * 0.17087277))))))));
        double r = t * Math.exp(poly);
        return x >= 0 ? r : 2 - r;
    }
}

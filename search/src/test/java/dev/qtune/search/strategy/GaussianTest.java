package dev.qtune.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GaussianTest {
    @Test
    void distributionMatchesKnownValues() {
        assertEquals(0.5, Gaussian.cdf(0), 1e-7);
        assertEquals(0.975002104851780, Gaussian.cdf(1.96), 1e-7);
        assertEquals(0.158655253931457, Gaussian.cdf(-1), 1e-7);
        assertEquals(9.865876450377e-10, Gaussian.cdf(-6), 1e-15);
        assertEquals(0.398942280401433, Gaussian.pdf(0), 1e-12);
    }

    @Test
    void psiIsTheExpectedShortfall() {
        // E[(c - Y)^+] for Y ~ N(0, 1) at c = 0 is 1/sqrt(2 pi)
        assertEquals(0.398942280401433, Gaussian.psi(0, 0, 1), 1e-7);
        assertEquals(2, Gaussian.psi(3, 1, 0), 0);
        assertEquals(0, Gaussian.psi(1, 3, 0), 0);
        assertEquals(0, Gaussian.psi(Double.NEGATIVE_INFINITY, 0, 1), 0);
        // far above the mean it is c - mu
        assertEquals(10, Gaussian.psi(12, 2, 0.5), 1e-9);
        // numeric integration for mu = 1, sigma = 2, c = 0.5
        double sum = 0;
        double h = 1e-3;
        for (double y = 1 - 20; y < 0.5; y += h) {
            double mid = y + h / 2;
            sum += (0.5 - mid) * Math.exp(-0.5 * Math.pow((mid - 1) / 2, 2)) / (2 * Math.sqrt(2 * Math.PI)) * h;
        }
        assertEquals(sum, Gaussian.psi(0.5, 1, 2), 1e-6);
    }
}

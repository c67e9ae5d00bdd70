package dev.qtune.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GaussianProcessTest {
    private static double f(double x) {
        return Math.sin(6 * x) + 2 * x;
    }

    private static double[][] column(double... xs) {
        double[][] x = new double[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            x[i] = new double[] {xs[i]};
        }
        return x;
    }

    @Test
    void interpolatesASmoothFunctionAndIsUnsureFarFromData() {
        double[][] x = column(0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8);
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = f(x[i][0]);
        }
        GaussianProcess gp = GaussianProcess.fit(GenomeEncoder.squaredDistances(x, x), y);
        double[][] cx = column(0.3, 0.45, 2.0);
        CandidatePosterior p = gp.posterior(cx, GenomeEncoder.squaredDistances(cx, x));
        assertEquals(f(0.3), p.mean(0), 0.02);
        assertEquals(f(0.45), p.mean(1), 0.05);
        assertTrue(p.sd(0) < 0.05, "sd at a training point " + p.sd(0));
        assertTrue(p.sd(2) > 10 * p.sd(1), "sd far away " + p.sd(2) + " vs between points " + p.sd(1));
    }

    @Test
    void krigingBelieverKeepsMeansAndShrinksVarianceNearTheBelievedPoint() {
        double[][] x = column(0, 0.5, 1);
        double[] y = {0, 1, 0};
        GaussianProcess gp = GaussianProcess.fit(GenomeEncoder.squaredDistances(x, x), y);
        double[][] cx = column(0.25, 0.3, 0.75, 3);
        CandidatePosterior p = gp.posterior(cx, GenomeEncoder.squaredDistances(cx, x));
        double[] mean = new double[4];
        double[] sd = new double[4];
        for (int i = 0; i < 4; i++) {
            mean[i] = p.mean(i);
            sd[i] = p.sd(i);
        }
        p.believe(0);
        for (int i = 0; i < 4; i++) {
            assertEquals(mean[i], p.mean(i), 0);
        }
        assertTrue(p.sd(0) < 0.7 * sd[0], "believed point " + p.sd(0) + " vs " + sd[0]);
        assertTrue(p.sd(1) < sd[1], "its neighbour");
        assertEquals(sd[3], p.sd(3), 0.01 * sd[3]);
    }
}

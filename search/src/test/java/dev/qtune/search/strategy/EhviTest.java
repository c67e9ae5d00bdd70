package dev.qtune.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.search.pareto.Hypervolume;
import dev.qtune.search.pareto.ParetoFront;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EhviTest {
    private static List<double[]> front(int d, int n, SplittableRandom random) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] p = new double[d];
            for (int k = 0; k < d; k++) {
                p[k] = random.nextDouble();
            }
            points.add(p);
        }
        return ParetoFront.indices(points).stream().map(points::get).toList();
    }

    @Test
    void withoutUncertaintyItIsTheHypervolumeImprovement() {
        for (int d = 2; d <= 3; d++) {
            SplittableRandom random = new SplittableRandom(d);
            double[] ref = d == 2 ? new double[] {1.1, 1.1} : new double[] {1.1, 1.1, 1.1};
            for (int trial = 0; trial < 50; trial++) {
                List<double[]> front = front(d, 15, random);
                Ehvi ehvi = Ehvi.of(front, ref);
                double[] mu = new double[d];
                for (int k = 0; k < d; k++) {
                    mu[k] = random.nextDouble(-0.2, 1.2);
                }
                assertEquals(
                        Hypervolume.improvement(front, mu, ref),
                        ehvi.value(mu, new double[d]),
                        1e-12,
                        d + "-D trial " + trial);
            }
        }
    }

    @Test
    void agreesWithMonteCarloUnderUncertainty() {
        for (int d = 2; d <= 3; d++) {
            SplittableRandom random = new SplittableRandom(10 + d);
            double[] ref = d == 2 ? new double[] {1.1, 1.1} : new double[] {1.1, 1.1, 1.1};
            List<double[]> front = front(d, 12, random);
            double[] mu = new double[d];
            double[] sd = new double[d];
            for (int k = 0; k < d; k++) {
                mu[k] = 0.4;
                sd[k] = 0.15 + 0.05 * k;
            }
            double exact = Ehvi.of(front, ref).value(mu, sd);
            double sum = 0;
            int samples = 40_000;
            SplittableRandom normals = new SplittableRandom(1);
            java.util.Random gauss = new Random(normals.nextLong());
            for (int s = 0; s < samples; s++) {
                double[] y = new double[d];
                for (int k = 0; k < d; k++) {
                    y[k] = mu[k] + sd[k] * gauss.nextGaussian();
                }
                sum += Hypervolume.improvement(front, y, ref);
            }
            double estimate = sum / samples;
            assertTrue(exact > 0);
            assertEquals(exact, estimate, 0.03 * exact, d + "-D: exact " + exact + ", Monte Carlo " + estimate);
        }
    }

    @Test
    void anEmptyFrontImprovesTheWholeBox() {
        double v = Ehvi.of(List.of(), new double[] {1, 2}).value(new double[] {0, 0}, new double[] {0, 0});
        assertEquals(2, v, 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Ehvi.of(List.of(), new double[] {1, 1, 1, 1}));
    }
}

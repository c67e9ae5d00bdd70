package dev.qtune.search.pareto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HypervolumeTest {
    private static final double EPS = 1e-12;

    @Test
    void staircaseIn2dByHand() {
        // strips: [1,2)x(3..4) = 1, [2,3)x(2..4) = 2, [3,4)x(1..4) = 3
        List<double[]> front = List.of(new double[] {1, 3}, new double[] {2, 2}, new double[] {3, 1});
        assertEquals(6, Hypervolume.of(front, new double[] {4, 4}), EPS);
        assertEquals(2, Hypervolume.of(List.of(new double[] {1, 1}), new double[] {2, 3}), EPS);
    }

    @Test
    void dominatedDuplicateAndOutsidePointsAddNothingIn2d() {
        List<double[]> points = List.of(
                new double[] {3, 1},
                new double[] {1, 3},
                new double[] {2, 2},
                new double[] {2, 2},
                new double[] {3, 3},
                new double[] {0, 4},
                new double[] {5, 0});
        assertEquals(6, Hypervolume.of(points, new double[] {4, 4}), EPS);
    }

    @Test
    void boxesIn3dByHand() {
        double[] ref = {2, 2, 2};
        assertEquals(1, Hypervolume.of(List.of(new double[] {1, 1, 1}), ref), EPS);
        // 2x2x1 + 1x1x2 - overlap [1,2]^3
        assertEquals(5, Hypervolume.of(List.of(new double[] {0, 0, 1}, new double[] {1, 1, 0}), ref), EPS);
        // inclusion-exclusion: 3 * 4 - 3 * 2 + 1
        List<double[]> axes = List.of(new double[] {1, 0, 0}, new double[] {0, 1, 0}, new double[] {0, 0, 1});
        assertEquals(7, Hypervolume.of(axes, ref), EPS);
    }

    @Test
    void pointsNotStrictlyDominatingTheReferenceContributeNothingIn3d() {
        double[] ref = {2, 2, 2};
        List<double[]> points = List.of(
                new double[] {1, 1, 1}, new double[] {0, 0, 2}, new double[] {0, 3, 0}, new double[] {1.5, 1.5, 1.5});
        assertEquals(1, Hypervolume.of(points, ref), EPS);
        assertEquals(0, Hypervolume.of(List.of(), ref));
    }

    @Test
    void agreesWithMonteCarloIn2dAnd3d() {
        for (int d = 2; d <= 3; d++) {
            SplittableRandom random = new SplittableRandom(7 + d);
            List<double[]> points = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                double[] p = new double[d];
                double norm = 0;
                for (int k = 0; k < d; k++) {
                    p[k] = random.nextDouble(0.05, 1);
                    norm += p[k] * p[k];
                }
                for (int k = 0; k < d; k++) {
                    p[k] = p[k] / Math.sqrt(norm) + random.nextDouble(0, 0.2);
                }
                points.add(p);
            }
            double[] ref = new double[d];
            Arrays.fill(ref, 1.3);
            double exact = Hypervolume.of(points, ref);
            double estimate = monteCarlo(points, ref, new SplittableRandom(99), 400_000);
            assertTrue(exact > 0);
            assertEquals(
                    exact, estimate, 0.01 * Math.pow(1.3, d), d + "-D: exact " + exact + ", Monte Carlo " + estimate);
        }
    }

    private static double monteCarlo(List<double[]> points, double[] ref, SplittableRandom random, int samples) {
        int d = ref.length;
        int hits = 0;
        double[] z = new double[d];
        for (int s = 0; s < samples; s++) {
            for (int k = 0; k < d; k++) {
                z[k] = random.nextDouble() * ref[k];
            }
            for (double[] p : points) {
                boolean dominated = true;
                for (int k = 0; k < d; k++) {
                    dominated &= p[k] <= z[k];
                }
                if (dominated) {
                    hits++;
                    break;
                }
            }
        }
        double box = 1;
        for (double r : ref) {
            box *= r;
        }
        return box * hits / samples;
    }

    @Test
    void improvementIsTheGainOfAddingAPoint() {
        List<double[]> front = List.of(new double[] {1, 3}, new double[] {3, 1});
        double[] ref = {4, 4};
        assertEquals(1, Hypervolume.improvement(front, new double[] {2, 2}, ref), EPS);
        assertEquals(0, Hypervolume.improvement(front, new double[] {3, 3}, ref), EPS);
        assertEquals(0, Hypervolume.improvement(front, new double[] {5, 0}, ref), EPS);
    }

    @Test
    void mismatchedDimensionsAreClearErrors() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> Hypervolume.of(List.of(new double[] {1, 1}, new double[] {1, 1, 1}), new double[] {2, 2}));
        assertTrue(e.getMessage().contains("point 1 must have 2 objectives"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Hypervolume.of(List.of(new double[] {1, 1, 1, 1}), new double[] {2, 2, 2, 2}));
        assertTrue(e.getMessage().contains("2 or 3 objectives"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Hypervolume.of(List.of(new double[] {Double.NaN, 1}), new double[] {2, 2}));
        assertThrows(
                IllegalArgumentException.class,
                () -> Hypervolume.of(List.of(new double[] {1, 1}), new double[] {Double.POSITIVE_INFINITY, 2}));
    }
}

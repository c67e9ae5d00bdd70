package dev.qtune.search.pareto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParetoFrontTest {
    @Test
    void dominanceIsStrictInOneObjectiveAndWeakInTheOthers() {
        assertTrue(ParetoFront.dominates(new double[] {1, 2}, new double[] {1, 3}));
        assertFalse(ParetoFront.dominates(new double[] {1, 3}, new double[] {1, 2}));
        assertFalse(ParetoFront.dominates(new double[] {1, 2}, new double[] {1, 2}));
        assertFalse(ParetoFront.dominates(new double[] {0, 3}, new double[] {1, 2}));
        assertTrue(ParetoFront.dominates(new double[] {0, 0, 0}, new double[] {0, 0, 1}));
    }

    @Test
    void frontKeepsNonDominatedPointsAndDuplicates() {
        List<double[]> points = List.of(
                new double[] {1, 3},
                new double[] {2, 2},
                new double[] {3, 1},
                new double[] {3, 3},
                new double[] {2, 2},
                new double[] {2.5, 2});
        assertEquals(List.of(0, 1, 2, 4), ParetoFront.indices(points));
        assertEquals(List.of(), ParetoFront.indices(List.of()));
        assertEquals(List.of(0), ParetoFront.indices(List.of(new double[] {5, 5, 5})));
    }

    private record Trial(double[] objectives, boolean feasible) {}

    @Test
    void feasibleFrontIgnoresInfeasiblePoints() {
        List<Trial> trials = List.of(
                new Trial(new double[] {0, 0}, false), // would dominate everything, but misses the constraint
                new Trial(new double[] {1, 3}, true),
                new Trial(new double[] {2, 2}, true),
                new Trial(new double[] {2, 4}, true),
                new Trial(null, false)); // a failed trial: objectives never asked for
        assertEquals(List.of(1, 2), ParetoFront.feasibleIndices(trials, Trial::feasible, Trial::objectives));
    }

    @Test
    void mismatchedDimensionsAreClearErrors() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> ParetoFront.indices(List.of(new double[] {1, 2}, new double[] {1, 2, 3})));
        assertTrue(e.getMessage().contains("point 1 must have 2 objectives"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> ParetoFront.dominates(new double[] {1}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> ParetoFront.indices(List.of(new double[] {Double.NaN, 2})));
    }
}

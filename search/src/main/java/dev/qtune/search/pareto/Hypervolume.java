package dev.qtune.search.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The hypervolume indicator of a set of minimised objective vectors: the volume of the region that
 * the set dominates and that dominates the reference point. Exact for 2 objectives (a sweep,
 * O(n log n)) and 3 objectives (slices along the third objective, O(n^2)). Points that do not
 * strictly dominate the reference contribute nothing; dominated points and duplicates are allowed.
 */
public final class Hypervolume {
    private Hypervolume() {}

    /** The hypervolume of {@code points} up to {@code reference}; 0 for no points. */
    public static double of(List<double[]> points, double[] reference) {
        List<double[]> inside = inside(points, reference);
        if (inside.isEmpty()) {
            return 0;
        }
        return reference.length == 2 ? area(inside, reference) : volume(inside, reference);
    }

    /**
     * How much {@code point} adds to the hypervolume of {@code front} (0 when a point of the front
     * dominates it or it does not dominate the reference).
     */
    public static double improvement(List<double[]> front, double[] point, double[] reference) {
        List<double[]> with = new ArrayList<>(front);
        with.add(Objects.requireNonNull(point, "point"));
        double gain = of(with, reference) - of(front, reference);
        return Math.max(0, gain);
    }

    private static List<double[]> inside(List<double[]> points, double[] reference) {
        Objects.requireNonNull(points, "points");
        Objects.requireNonNull(reference, "reference");
        if (reference.length != 2 && reference.length != 3) {
            throw new IllegalArgumentException("hypervolume is exact for 2 or 3 objectives only, "
                    + "but the reference point has " + reference.length);
        }
        for (double r : reference) {
            if (!Double.isFinite(r)) {
                throw new IllegalArgumentException(
                        "reference point must be finite, but was " + Arrays.toString(reference));
            }
        }
        List<double[]> inside = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            double[] p = Objects.requireNonNull(points.get(i), "point " + i);
            if (p.length != reference.length) {
                throw new IllegalArgumentException("point " + i + " must have " + reference.length
                        + " objectives like the reference point, but had " + p.length);
            }
            if (strictlyBelow(p, reference, i)) {
                inside.add(p);
            }
        }
        return inside;
    }

    private static boolean strictlyBelow(double[] p, double[] reference, int index) {
        boolean below = true;
        for (int k = 0; k < p.length; k++) {
            if (Double.isNaN(p[k])) {
                throw new IllegalArgumentException(
                        "point " + index + " must not be NaN, but was " + Arrays.toString(p));
            }
            below &= p[k] < reference[k];
        }
        return below;
    }

    /** 2-D: sort by the first objective, sweep with the best second objective so far. */
    private static double area(List<double[]> points, double[] reference) {
        List<double[]> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble((double[] p) -> p[0]).thenComparingDouble(p -> p[1]));
        return sweep(sorted, reference[0], reference[1]);
    }

    /** Area dominated by points sorted by x (ascending), each as {x, y, ...}, up to (rx, ry). */
    static double sweep(List<double[]> sortedByX, double rx, double ry) {
        double area = 0;
        double bestY = ry;
        for (int i = 0; i < sortedByX.size(); i++) {
            double[] p = sortedByX.get(i);
            bestY = Math.min(bestY, p[1]);
            double nextX = i + 1 < sortedByX.size() ? sortedByX.get(i + 1)[0] : rx;
            area += (nextX - p[0]) * (ry - bestY);
        }
        return area;
    }

    /**
     * 3-D: sort by the third objective; between consecutive third-objective values the dominated
     * cross-section is the 2-D area of the points seen so far (kept sorted by the first objective).
     */
    private static double volume(List<double[]> points, double[] reference) {
        List<double[]> byZ = new ArrayList<>(points);
        byZ.sort(Comparator.comparingDouble(p -> p[2]));
        Comparator<double[]> byX =
                Comparator.comparingDouble((double[] p) -> p[0]).thenComparingDouble(p -> p[1]);
        List<double[]> slice = new ArrayList<>();
        double volume = 0;
        for (int i = 0; i < byZ.size(); i++) {
            double[] p = byZ.get(i);
            int at = Collections.binarySearch(slice, p, byX);
            slice.add(at >= 0 ? at : -at - 1, p);
            double nextZ = i + 1 < byZ.size() ? byZ.get(i + 1)[2] : reference[2];
            if (nextZ > p[2]) {
                volume += (nextZ - p[2]) * sweep(slice, reference[0], reference[1]);
            }
        }
        return volume;
    }
}

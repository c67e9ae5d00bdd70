package dev.qtune.search.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Non-dominated subsets of objective vectors, every objective minimised. A point dominates another
 * when it is no worse in every objective and better in at least one; equal points do not dominate
 * each other, so duplicates on the front are all kept.
 */
public final class ParetoFront {
    private ParetoFront() {}

    /** Whether {@code a} dominates {@code b} (minimisation); both must have the same length. */
    public static boolean dominates(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "points must have the same number of objectives, but had " + a.length + " and " + b.length);
        }
        boolean better = false;
        for (int k = 0; k < a.length; k++) {
            if (a[k] > b[k]) {
                return false;
            }
            better |= a[k] < b[k];
        }
        return better;
    }

    /**
     * The indices (ascending) of the points that no other point dominates. Every point must have
     * the same number of finite objectives.
     */
    public static List<Integer> indices(List<double[]> points) {
        Objects.requireNonNull(points, "points");
        checkPoints(points);
        List<Integer> front = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            if (!dominatedByAny(points, i)) {
                front.add(i);
            }
        }
        return front;
    }

    /**
     * The indices (ascending) of the items on the feasible front: the front is computed over the
     * feasible items only, so an infeasible item is never on it and never pushes a feasible one off.
     * {@code objectives} is asked only of feasible items.
     */
    public static <T> List<Integer> feasibleIndices(
            List<T> items, Predicate<? super T> feasible, Function<? super T, double[]> objectives) {
        Objects.requireNonNull(items, "items");
        List<Integer> feasibleAt = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (feasible.test(items.get(i))) {
                feasibleAt.add(i);
                points.add(Objects.requireNonNull(objectives.apply(items.get(i)), "objectives of item " + i));
            }
        }
        return indices(points).stream().map(feasibleAt::get).toList();
    }

    private static boolean dominatedByAny(List<double[]> points, int i) {
        double[] p = points.get(i);
        for (int j = 0; j < points.size(); j++) {
            if (j != i && dominates(points.get(j), p)) {
                return true;
            }
        }
        return false;
    }

    static void checkPoints(List<double[]> points) {
        if (points.isEmpty()) {
            return;
        }
        int d = Objects.requireNonNull(points.get(0), "point 0").length;
        for (int i = 0; i < points.size(); i++) {
            double[] p = Objects.requireNonNull(points.get(i), "point " + i);
            if (p.length != d) {
                throw new IllegalArgumentException(
                        "point " + i + " must have " + d + " objectives like point 0, but had " + p.length);
            }
            for (double v : p) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(
                            "point " + i + " must have finite objectives, but had " + Arrays.toString(p));
                }
            }
        }
    }
}

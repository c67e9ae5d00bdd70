package dev.qtune.search.strategy;

import io.jenetics.ext.moea.ElementComparator;
import io.jenetics.ext.moea.ElementDistance;
import io.jenetics.ext.moea.Pareto;
import io.jenetics.ext.moea.Vec;
import java.util.Arrays;
import java.util.Comparator;

/**
 * NSGA-II fitness: the minimised objectives as a Jenetics {@link Vec} whose dominance is Deb's
 * constrained dominance. A trial that ran beats a failed one; a feasible trial beats an infeasible
 * one; of two infeasible trials the smaller violation wins (equal violations: Pareto dominance);
 * two feasible trials compare by Pareto dominance. Jenetics' convention is that the dominating
 * vector is the "greater" one and the selector is then run with {@code Optimize.MINIMUM}, so here
 * {@link #dominance(Vec)} is positive when this vector is the worse one. A failed trial has no
 * objectives; its {@link #data()} is the worst objective values of the selection it takes part in,
 * which keeps crowding distances (computed by Jenetics over the whole set) meaningful.
 */
final class ConstrainedVec implements Vec<double[]> {
    private static final Comparator<double[]> PARETO = Pareto::dominance;

    private final double[] data;
    private final double violation;
    private final boolean failed;

    private ConstrainedVec(double[] data, double violation, boolean failed) {
        this.data = data.clone();
        this.violation = violation;
        this.failed = failed;
    }

    static ConstrainedVec of(Observation observation) {
        if (observation.failed()) {
            throw new IllegalArgumentException("a failed observation has no objectives; use failedAt");
        }
        return new ConstrainedVec(observation.objectives(), observation.violation(), false);
    }

    static ConstrainedVec failedAt(double[] worst) {
        return new ConstrainedVec(worst, 0, true);
    }

    boolean failed() {
        return failed;
    }

    /** The objectives themselves (not a copy: Jenetics reads them in tight loops); never modified. */
    @Override
    public double[] data() {
        return data;
    }

    @Override
    public int length() {
        return data.length;
    }

    @Override
    public ElementComparator<double[]> comparator() {
        return (u, v, i) -> Double.compare(u[i], v[i]);
    }

    @Override
    public ElementDistance<double[]> distance() {
        return (u, v, i) -> u[i] - v[i];
    }

    @Override
    public Comparator<double[]> dominance() {
        return PARETO;
    }

    @Override
    public int dominance(Vec<double[]> other) {
        ConstrainedVec o = (ConstrainedVec) other;
        if (failed || o.failed) {
            return Boolean.compare(failed, o.failed);
        }
        boolean feasible = violation == 0;
        if (feasible != (o.violation == 0)) {
            return feasible ? -1 : 1;
        }
        if (!feasible && violation != o.violation) {
            return Double.compare(violation, o.violation);
        }
        return Pareto.dominance(data, o.data);
    }

    @Override
    public String toString() {
        return failed ? "failed" : Arrays.toString(data) + (violation > 0 ? " violation " + violation : "");
    }
}

package dev.qtune.search.strategy;

import java.util.random.RandomGenerator;

/**
 * Expected hypervolume improvement over the current feasible front (exact, see {@link Ehvi}),
 * from the per-objective posteriors, times the probability of feasibility. Uses no randomness.
 */
final class EhviAcquisition implements Acquisition {
    @Override
    public int next(AcquisitionContext context, RandomGenerator random) {
        Ehvi ehvi = Ehvi.of(context.front(), context.reference());
        return context.best(i -> {
            double pof = context.feasibility(i);
            return pof <= 0 ? 0 : pof * ehvi.value(context.means(i), context.sds(i));
        });
    }
}

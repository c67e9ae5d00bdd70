package dev.qtune.search.strategy;

import java.util.random.RandomGenerator;

/** How the Bayesian searcher picks the next candidate of a batch from its models. */
interface Acquisition {
    /** The index of the next candidate (not chosen yet) to propose, or -1 when none is left. */
    int next(AcquisitionContext context, RandomGenerator random);

    static Acquisition of(AcquisitionKind kind) {
        return switch (kind) {
            case EHVI -> new EhviAcquisition();
            case PAREGO -> new ParegoAcquisition();
        };
    }
}

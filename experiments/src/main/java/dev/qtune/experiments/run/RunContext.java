package dev.qtune.experiments.run;

import dev.qtune.experiments.config.ExperimentConfig;
import dev.qtune.search.space.SearchSpace;
import dev.qtune.targets.Target;
import java.util.OptionalDouble;

/**
 * What the run directory's files say about the search as a whole: the fp32 model's value of the
 * accuracy metric and its top-1 on the validation samples (NaN where unknown), the lowest
 * acceptable accuracy, and the fp32 top-1 on the final split.
 */
record RunContext(
        ExperimentConfig experiment,
        Target target,
        SearchSpace space,
        double fp32Accuracy,
        double fp32Top1,
        OptionalDouble minAccuracy,
        double fp32FinalTop1,
        String finalSplit) {
    boolean feasible(double accuracy) {
        return minAccuracy.isEmpty() || accuracy >= minAccuracy.getAsDouble();
    }
}

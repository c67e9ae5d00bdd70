package dev.qtune.experiments.run;

import dev.qtune.experiments.config.ExperimentConfig;
import dev.qtune.search.space.SearchSpace;
import dev.qtune.targets.Target;

import java.util.OptionalDouble;

/** What the run directory's files say about the search as a whole. */
record RunContext(ExperimentConfig experiment, Target target, SearchSpace space, double fp32Top1, OptionalDouble minTop1,
                  double fp32FinalTop1, String finalSplit) {
    boolean feasible(double top1) {
        return minTop1.isEmpty() || top1 >= minTop1.getAsDouble();
    }
}

package dev.qtune.experiments.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.experiments.config.ExperimentConfig;
import dev.qtune.search.trial.NativeTrialEvaluator;
import dev.qtune.search.trial.TrialKind;
import dev.qtune.search.trial.TrialResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The experiment's baselines, before the search: each pre-quantized file imported and run once
 * through the search trials' own compile, accuracy and latency stages, on the same validation
 * samples, target and timing, and logged as a record of kind "baseline" (FAILED with its reason
 * when it cannot be imported or run; the search goes on either way). They run on the driver, one
 * after another, whatever the executor: a handful of trials need no cluster, and the Spark wire
 * format carries genomes, which a baseline has none of. A baseline whose label is already in the
 * log (a resumed run) is not run again. Baselines are reference points: the search loop, its
 * budget, front and hypervolume never see them.
 */
final class BaselineMeasure {
    private BaselineMeasure() {}

    /** Runs the baselines not yet logged; the records of all of them (logged first) go to {@code files}. */
    static void run(
            ExperimentConfig exp,
            NativeTrialEvaluator evaluator,
            int samples,
            List<ObjectNode> logged,
            RunFiles files) {
        List<ObjectNode> records = new ArrayList<>();
        Set<String> done = new HashSet<>();
        int next = 0;
        for (ObjectNode o : logged) {
            if (TrialKind.parse(o.path("kind").asText()) == TrialKind.BASELINE) {
                records.add(o);
                done.add(o.path("label").asText());
                next = Math.max(next, o.path("trial").asInt() + 1);
            }
        }
        for (ExperimentConfig.Baseline b : exp.baselines()) {
            if (!done.contains(b.label())) {
                TrialResult r = evaluator.evaluateBaseline(
                        next++, b.label(), b.file(), samples, exp.measure().benchSeconds());
                records.add(files.baseline(r, b.file()));
            }
        }
        files.baselines(records);
    }
}

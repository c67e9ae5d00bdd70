package dev.qtune.experiments.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.experiments.config.ExperimentConfig;
import dev.qtune.search.exec.TrialExecutor;
import dev.qtune.search.loop.SearchOutcome;
import dev.qtune.search.trial.TrialKind;
import dev.qtune.search.trial.TrialResult;
import dev.qtune.search.trial.TrialSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The final re-measure: each front member (up to the experiment's final_max, most accurate first)
 * again on the test set and with longer latency timing. Both figures are kept: the search's in its
 * trial record, the final one in a record of kind "final" whose {@code of} names the trial. Members
 * re-measured by an earlier run of a resumed search are not measured twice.
 */
final class FinalMeasure {
    private FinalMeasure() {
    }

    static List<TrialResult> run(ExperimentConfig exp, SearchOutcome outcome, TrialExecutor executor,
                                 List<ObjectNode> logged, RunFiles files) {
        if (exp.measure().finalMax() == 0) {
            return List.of();
        }
        Set<String> done = new HashSet<>();
        List<ObjectNode> loggedFinals = new ArrayList<>();
        for (ObjectNode o : logged) {
            if (TrialKind.parse(o.path("kind").asText()) == TrialKind.FINAL) {
                done.add(o.path("of").asText());
                loggedFinals.add(o);
            }
        }
        List<TrialResult> front = new ArrayList<>(outcome.last().front());
        front.sort(Comparator.comparingDouble((TrialResult r) -> -r.metrics().orElseThrow().top1()));
        List<TrialSpec> specs = new ArrayList<>();
        for (TrialResult r : front.subList(0, Math.min(front.size(), exp.measure().finalMax()))) {
            if (!done.contains(r.spec().id())) {
                TrialSpec s = r.spec();
                specs.add(new TrialSpec(s.number(), s.generation(), TrialKind.FINAL, s.id(), s.decoded(),
                        exp.measure().finalSamples(), exp.measure().finalBenchSeconds()));
            }
        }
        List<TrialResult> finals = new ArrayList<>();
        if (!specs.isEmpty()) {
            executor.run(specs, finals::add);
        }
        finals.sort(Comparator.comparingInt(r -> r.spec().number()));
        loggedFinals.removeIf(o -> front.stream().noneMatch(r -> r.spec().id().equals(o.path("of").asText())));
        files.finals(finals, loggedFinals);
        return finals;
    }
}

package dev.qtune.experiments.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.experiments.config.ExperimentConfig;
import dev.qtune.search.exec.TrialExecutor;
import dev.qtune.search.loop.SearchOutcome;
import dev.qtune.search.space.Genome;
import dev.qtune.search.trial.NativeTrialEvaluator;
import dev.qtune.search.trial.TrialKind;
import dev.qtune.search.trial.TrialResult;
import dev.qtune.search.trial.TrialSpec;
import dev.qtune.targets.runner.BenchResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The final re-measure, on the final split (the built-in datasets' holdout half of the test set,
 * which no trial was chosen on) and with longer latency timing: each front member (up to the
 * experiment's final_max, most accurate first), the base config's trial whether on the front or
 * not, and every baseline, so the table compares like with like. Both figures are kept: the
 * search's in its trial record, the final one in a record of kind "final" whose {@code of} names
 * the trial (or baseline). Members re-measured by an earlier run of a resumed search are not
 * measured twice. Baselines run on the driver, as they did at the start. Then all of them are timed
 * again side by side on the driver, and the final records carry those figures.
 */
final class FinalMeasure {
    /** Final re-measures of baselines are numbered from here ("f90000"), apart from the trials'. */
    static final int BASELINE_NUMBERS = 90_000;
    /** Rounds of the side-by-side timing of the final records. */
    static final int SIDE_BY_SIDE_ROUNDS = 5;

    private FinalMeasure() {}

    static List<TrialResult> run(
            ExperimentConfig exp,
            SearchOutcome outcome,
            Genome base,
            TrialExecutor executor,
            NativeTrialEvaluator evaluator,
            List<ObjectNode> logged,
            RunFiles files) {
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
        List<TrialResult> members = members(exp, outcome, base);
        List<TrialSpec> specs = finalSpecs(exp, members, done);
        List<TrialResult> measured = new ArrayList<>();
        if (!specs.isEmpty()) {
            executor.run(specs, measured::add);
        }
        List<TrialResult> finals = measured;
        finals.sort(Comparator.comparingInt(r -> r.spec().number()));
        finals.addAll(baselines(exp, evaluator, logged, done));
        if (loggedFinals.isEmpty()) {
            finals = sideBySide(exp, finals, evaluator);
        }
        Set<String> kept = new HashSet<>();
        members.forEach(r -> kept.add(r.spec().id()));
        files.baselineIds().forEach(kept::add);
        loggedFinals.removeIf(o -> !kept.contains(o.path("of").asText()));
        files.finals(finals, loggedFinals);
        return finals;
    }

    /** A final re-measure of each member not yet re-measured ({@code done}: the ids that are). */
    private static List<TrialSpec> finalSpecs(ExperimentConfig exp, List<TrialResult> members, Set<String> done) {
        List<TrialSpec> specs = new ArrayList<>();
        for (TrialResult r : members) {
            if (!done.contains(r.spec().id())) {
                TrialSpec s = r.spec();
                specs.add(new TrialSpec(
                        s.number(),
                        s.generation(),
                        TrialKind.FINAL,
                        s.id(),
                        s.decoded(),
                        exp.measure().finalSamples(),
                        exp.measure().finalBenchSeconds()));
            }
        }
        return specs;
    }

    /**
     * The final records with their latency timed again side by side on this host (rounds of short
     * runs in rotated order, see NativeTrialEvaluator.benchSideBySide), so that the front, the base
     * config and the baselines are compared under the same conditions: timed one after another, a
     * slow stretch of the host (seen: 20% for a minute) lands on whichever ran then. Records whose
     * module cannot be timed again keep their own figures.
     */
    private static List<TrialResult> sideBySide(
            ExperimentConfig exp, List<TrialResult> finals, NativeTrialEvaluator evaluator) {
        Map<String, TrialSpec> trials = new LinkedHashMap<>();
        Map<String, Path> baselines = new LinkedHashMap<>();
        for (TrialResult r : finals) {
            if (!r.ok()) {
                continue;
            }
            if (r.spec().number() >= BASELINE_NUMBERS) {
                baselines.put(
                        r.spec().id(),
                        exp.baselines()
                                .get(r.spec().number() - BASELINE_NUMBERS)
                                .file());
            } else {
                trials.put(r.spec().id(), r.spec());
            }
        }
        if (trials.size() + baselines.size() < 2) {
            return finals;
        }
        Map<String, BenchResult> timed =
                evaluator.benchSideBySide(trials, baselines, exp.measure().finalBenchSeconds(), SIDE_BY_SIDE_ROUNDS);
        List<TrialResult> out = new ArrayList<>();
        for (TrialResult r : finals) {
            BenchResult b = timed.get(r.spec().id());
            out.add(b == null ? r : r.withLatency(b.medianMs(), b.p10Ms(), b.p90Ms()));
        }
        return out;
    }

    /** The front (most accurate first by the search's metric, at most final_max) and the base config's trial. */
    private static List<TrialResult> members(ExperimentConfig exp, SearchOutcome outcome, Genome base) {
        List<TrialResult> front = new ArrayList<>(outcome.last().front());
        front.sort(Comparator.comparingDouble(
                (TrialResult r) -> -r.metrics().orElseThrow().accuracy()));
        List<TrialResult> out = new ArrayList<>(
                front.subList(0, Math.min(front.size(), exp.measure().finalMax())));
        outcome.trials().stream()
                .filter(TrialResult::ok)
                .filter(r -> r.spec().decoded().genome().equals(base))
                .findFirst()
                .filter(r -> !out.contains(r))
                .ifPresent(out::add);
        return out;
    }

    /** Every baseline that ran, again on the final split. */
    private static List<TrialResult> baselines(
            ExperimentConfig exp, NativeTrialEvaluator evaluator, List<ObjectNode> logged, Set<String> done) {
        List<TrialResult> out = new ArrayList<>();
        int i = 0;
        for (ExperimentConfig.Baseline b : exp.baselines()) {
            String id = String.format("b%04d", i++);
            if (!done.contains(id)) {
                out.add(evaluator.evaluateBaseline(
                        TrialKind.FINAL,
                        BASELINE_NUMBERS + i - 1,
                        id,
                        b.file(),
                        exp.measure().finalSamples(),
                        exp.measure().finalBenchSeconds()));
            }
        }
        return out;
    }
}

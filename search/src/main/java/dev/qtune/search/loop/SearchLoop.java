package dev.qtune.search.loop;

import dev.qtune.search.exec.TrialExecutor;
import dev.qtune.search.space.Decoded;
import dev.qtune.search.space.Genome;
import dev.qtune.search.space.SpaceDecoder;
import dev.qtune.search.strategy.Observation;
import dev.qtune.search.strategy.Searcher;
import dev.qtune.search.trial.TrialKind;
import dev.qtune.search.trial.TrialResult;
import dev.qtune.search.trial.TrialSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The search: ask the strategy for a generation, decode, run the configurations not seen before
 * (memoised by config hash), tell the strategy every outcome in the order it asked, summarise the
 * front; until the budget is spent.
 *
 * <p>Resume: results from an earlier run of the same experiment are replayed. Strategies are
 * deterministic given their seed and what they were told, so the same generations are asked again;
 * a configuration found in the earlier log is told from it (counted once, not rerun), and the rest
 * run. The budget therefore counts every trial of the log exactly once.
 */
public final class SearchLoop {
    private static final Logger LOG = LoggerFactory.getLogger(SearchLoop.class);
    private static final int MAX_STALLED_ROUNDS = 20;

    private final SpaceDecoder decoder;
    private final Searcher searcher;
    private final TrialExecutor executor;
    private final SearchSettings settings;
    private final SearchListener listener;
    private final FrontTracker front;

    public SearchLoop(
            SpaceDecoder decoder,
            Searcher searcher,
            TrialExecutor executor,
            SearchSettings settings,
            SearchListener listener) {
        this.decoder = decoder;
        this.searcher = searcher;
        this.executor = executor;
        this.settings = settings;
        this.listener = listener;
        this.front = new FrontTracker(settings);
    }

    /** Runs the search; {@code previous} are the search trials of an earlier, interrupted run (empty for a new one). */
    public SearchOutcome run(List<TrialResult> previous) {
        long start = System.nanoTime();
        Trials trials = new Trials(previous);
        GenerationSummary last = front.summarise(0, trials.results, 0);
        String stop = "budget of " + settings.trials() + " trials spent";
        for (int gen = 0; trials.results.size() < settings.trials(); gen++) {
            Optional<String> limit = limitReached(gen, start);
            if (limit.isPresent()) {
                stop = limit.get();
                break;
            }
            List<Genome> asked = searcher.ask(settings.trials() - trials.results.size());
            if (asked.isEmpty()) {
                stop = "the strategy has nothing more to propose";
                break;
            }
            Generation g = trials.plan(asked, gen);
            runFresh(gen, g.fresh(), trials);
            trials.stalled = g.fresh().isEmpty() && g.replayed() == 0 ? trials.stalled + 1 : 0;
            searcher.tell(observations(asked, g.decoded(), trials.memo));
            last = front.summarise(gen, trials.results, seconds(start));
            listener.generationFinished(last);
            LOG.info(
                    "generation {}: {} trials ({} new, {} from the earlier log), front {}, hypervolume {}",
                    gen,
                    trials.results.size(),
                    g.fresh().size(),
                    g.replayed(),
                    last.front().size(),
                    last.hypervolume());
            Optional<String> rule = stopRule(g.fresh(), trials, last);
            if (rule.isPresent()) {
                stop = rule.get();
                break;
            }
        }
        return new SearchOutcome(trials.results, last, stop);
    }

    /** The trials so far: replayed from the earlier log, or run; and the counters of the stop rules. */
    private final class Trials {
        final Map<String, TrialResult> earlier = new HashMap<>();
        final Map<String, TrialResult> memo = new HashMap<>();
        final List<TrialResult> results = new ArrayList<>();
        int nextNumber = 0;
        int stalled = 0;
        int flat = 0;
        double bestVolume = Double.NEGATIVE_INFINITY;

        Trials(List<TrialResult> previous) {
            for (TrialResult r : previous) {
                earlier.putIfAbsent(r.spec().decoded().configHash(), r);
                nextNumber = Math.max(nextNumber, r.spec().number() + 1);
            }
        }

        /**
         * Decodes a generation: each configuration not seen before is told from the earlier log
         * where it is there (replayed), else queued to run (fresh).
         */
        Generation plan(List<Genome> asked, int gen) {
            Map<Genome, Decoded> decoded = new LinkedHashMap<>();
            List<TrialSpec> fresh = new ArrayList<>();
            Set<String> queued = new HashSet<>();
            int replayed = 0;
            for (Genome g : asked) {
                Decoded d = decoded.computeIfAbsent(g, decoder::decode);
                String h = d.configHash();
                if (memo.containsKey(h) || !queued.add(h)) {
                    continue;
                }
                TrialResult old = earlier.remove(h);
                if (old != null) {
                    memo.put(h, old);
                    results.add(old);
                    replayed++;
                } else {
                    fresh.add(new TrialSpec(
                            nextNumber++, gen, TrialKind.SEARCH, "", d, settings.samples(), settings.benchSeconds()));
                }
            }
            return new Generation(decoded, fresh, replayed);
        }
    }

    /** One generation's decoded genomes, the trials to run and the number told from the earlier log. */
    private record Generation(Map<Genome, Decoded> decoded, List<TrialSpec> fresh, int replayed) {}

    private void runFresh(int gen, List<TrialSpec> fresh, Trials trials) {
        if (fresh.isEmpty()) {
            return;
        }
        listener.generationStarted(gen, fresh);
        executor.run(fresh, r -> {
            trials.memo.put(r.spec().decoded().configHash(), r);
            trials.results.add(r);
            listener.trialFinished(r);
        });
    }

    /** The limit that ends the search before generation {@code gen}, if one is reached. */
    private Optional<String> limitReached(int gen, long start) {
        if (settings.generations() > 0 && gen >= settings.generations()) {
            return Optional.of("generation limit of " + settings.generations() + " reached");
        }
        if (settings.wallClockSeconds() > 0 && seconds(start) >= settings.wallClockSeconds()) {
            return Optional.of("wall-clock limit of " + settings.wallClockSeconds() + " s reached");
        }
        return Optional.empty();
    }

    /** The rule that ends the search after a generation, if one holds. */
    private Optional<String> stopRule(List<TrialSpec> fresh, Trials trials, GenerationSummary last) {
        if (settings.onFailure() == FailureRule.ABORT
                && fresh.stream()
                        .anyMatch(
                                s -> !trials.memo.get(s.decoded().configHash()).ok())) {
            return Optional.of("a trial failed and on_failure is abort");
        }
        if (exitReached(trials.results)) {
            return Optional.of("a trial met the exit rule (accuracy >= "
                    + settings.exitMinAccuracy().getAsDouble() + " at <= " + settings.exitLatencyRatio()
                    + "x the base config's latency)");
        }
        trials.flat = last.hypervolume() > trials.bestVolume + 1e-12 ? 0 : trials.flat + 1;
        trials.bestVolume = Math.max(trials.bestVolume, last.hypervolume());
        if (settings.patience() > 0 && trials.flat >= settings.patience()) {
            return Optional.of("no hypervolume gain in " + settings.patience() + " generations (patience)");
        }
        if (trials.stalled >= MAX_STALLED_ROUNDS) {
            return Optional.of("no new configuration in " + MAX_STALLED_ROUNDS + " rounds (the space is exhausted)");
        }
        return Optional.empty();
    }

    /** Whether a trial meets the exit rule: accurate enough, at most the ratio times the base config's latency. */
    private boolean exitReached(List<TrialResult> results) {
        if (settings.exitMinAccuracy().isEmpty()) {
            return false;
        }
        Genome base = decoder.space().firstValues();
        var baseLatency = results.stream()
                .filter(TrialResult::ok)
                .filter(r -> r.spec().decoded().genome().equals(base))
                .mapToDouble(r -> r.metrics().orElseThrow().latencyMedianMs())
                .findFirst();
        return baseLatency.isPresent()
                && results.stream()
                        .filter(TrialResult::ok)
                        .map(r -> r.metrics().orElseThrow())
                        .anyMatch(m -> m.accuracy()
                                        >= settings.exitMinAccuracy().getAsDouble()
                                && m.latencyMedianMs() <= settings.exitLatencyRatio() * baseLatency.getAsDouble());
    }

    private List<Observation> observations(
            List<Genome> asked, Map<Genome, Decoded> decoded, Map<String, TrialResult> memo) {
        List<Observation> obs = new ArrayList<>();
        for (Genome g : asked) {
            TrialResult r = memo.get(decoded.get(g).configHash());
            obs.add(r.ok() ? Observation.ok(g, front.objectives(r), front.violation(r)) : Observation.failed(g));
        }
        return obs;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}

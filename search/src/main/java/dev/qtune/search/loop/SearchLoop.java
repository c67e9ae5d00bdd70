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
        Map<String, TrialResult> earlier = new HashMap<>();
        int nextNumber = 0;
        for (TrialResult r : previous) {
            earlier.putIfAbsent(r.spec().decoded().configHash(), r);
            nextNumber = Math.max(nextNumber, r.spec().number() + 1);
        }
        Map<String, TrialResult> memo = new HashMap<>();
        List<TrialResult> results = new ArrayList<>();
        GenerationSummary last = front.summarise(0, results, 0);
        String stop = "budget of " + settings.trials() + " trials spent";
        int stalled = 0;
        int flat = 0;
        double bestVolume = Double.NEGATIVE_INFINITY;
        for (int gen = 0; results.size() < settings.trials(); gen++) {
            if (settings.generations() > 0 && gen >= settings.generations()) {
                stop = "generation limit of " + settings.generations() + " reached";
                break;
            }
            if (settings.wallClockSeconds() > 0 && seconds(start) >= settings.wallClockSeconds()) {
                stop = "wall-clock limit of " + settings.wallClockSeconds() + " s reached";
                break;
            }
            List<Genome> asked = searcher.ask(settings.trials() - results.size());
            if (asked.isEmpty()) {
                stop = "the strategy has nothing more to propose";
                break;
            }
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
            if (!fresh.isEmpty()) {
                listener.generationStarted(gen, fresh);
                executor.run(fresh, r -> {
                    memo.put(r.spec().decoded().configHash(), r);
                    results.add(r);
                    listener.trialFinished(r);
                });
            }
            stalled = fresh.isEmpty() && replayed == 0 ? stalled + 1 : 0;
            searcher.tell(observations(asked, decoded, memo));
            last = front.summarise(gen, results, seconds(start));
            listener.generationFinished(last);
            LOG.info(
                    "generation {}: {} trials ({} new, {} from the earlier log), front {}, hypervolume {}",
                    gen,
                    results.size(),
                    fresh.size(),
                    replayed,
                    last.front().size(),
                    last.hypervolume());
            if (settings.onFailure() == FailureRule.ABORT
                    && fresh.stream()
                            .anyMatch(s -> !memo.get(s.decoded().configHash()).ok())) {
                stop = "a trial failed and on_failure is abort";
                break;
            }
            if (exitReached(results)) {
                stop = "a trial met the exit rule (accuracy >= "
                        + settings.exitMinAccuracy().getAsDouble() + " at <= " + settings.exitLatencyRatio()
                        + "x the base config's latency)";
                break;
            }
            flat = last.hypervolume() > bestVolume + 1e-12 ? 0 : flat + 1;
            bestVolume = Math.max(bestVolume, last.hypervolume());
            if (settings.patience() > 0 && flat >= settings.patience()) {
                stop = "no hypervolume gain in " + settings.patience() + " generations (patience)";
                break;
            }
            if (stalled >= MAX_STALLED_ROUNDS) {
                stop = "no new configuration in " + MAX_STALLED_ROUNDS + " rounds (the space is exhausted)";
                break;
            }
        }
        return new SearchOutcome(results, last, stop);
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

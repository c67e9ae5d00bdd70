package dev.qtune.targets.runner;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.lower.LoweringException;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.targets.NativeBuildException;
import dev.qtune.targets.Target;
import dev.qtune.targets.codegen.CModule;
import dev.qtune.targets.codegen.CModuleEmitter;
import dev.qtune.targets.codegen.LayerTask;
import dev.qtune.targets.codegen.TuningLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tunes the schedules of a model's layer tasks natively, AutoTVM style, and appends the winners to
 * the tuning log. A layer's schedule changes its time and not its result, and layer times add up,
 * so all untuned layers are tuned at once: build {@code i} gives every untuned layer its
 * {@code i}-th candidate schedule (cycling through a shorter list), and one benchmark with
 * per-layer times measures every layer's candidate. Each task keeps its candidates' fastest
 * per-layer time over the rounds (the least disturbed run), and the log records the winner beside
 * the default schedule's time. Tasks already in the log are not tuned again: their layers take
 * the log's schedule while the others are measured.
 */
public final class ScheduleTuner {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleTuner.class);

    /** What a tuning run did: the entries it appended (one per task), the builds it timed, and its wall time. */
    public record Result(List<TuningLog.Entry> entries, int builds, double seconds, TuningLog log) {}

    private ScheduleTuner() {}

    /**
     * Tunes the untuned tasks of {@code realized} on {@code target} and appends them to the log.
     *
     * @param threads the threads the benchmark runs with (the log records them)
     * @param seconds timing per build and round
     * @param rounds  times each build is timed (the fastest counts)
     */
    public static Result tune(
            Graph realized,
            Target target,
            Path cacheDir,
            TuningLog log,
            int threads,
            double seconds,
            int rounds,
            Consumer<String> progress) {
        long start = System.nanoTime();
        CModule plain = CModuleEmitter.emit(realized, target, ScheduleConfig.EMPTY, TuningLog.NONE);
        Map<String, LayerTask> untuned = untuned(plain, log);
        if (untuned.isEmpty()) {
            return new Result(List.of(), 0, 0, log);
        }
        int builds = untuned.values().stream()
                .mapToInt(t -> t.candidates().size())
                .max()
                .orElse(0);
        // task key -> candidate -> fastest per-layer ms seen
        Map<String, Map<Map<String, Integer>, Double>> times = new LinkedHashMap<>();
        int timed = 0;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < builds; i++) {
                Map<String, Map<String, Integer>> layers = candidates(untuned, i);
                Map<String, Double> ms =
                        timeLayers(realized, target, cacheDir, log, new ScheduleConfig(layers), threads, seconds);
                timed++;
                keepFastest(times, untuned, layers, ms);
                progress.accept("tuning: round " + (round + 1) + "/" + rounds + ", schedule " + (i + 1) + "/" + builds);
            }
        }
        List<TuningLog.Entry> entries = best(untuned, times, plain, threads);
        TuningLog updated = entries.isEmpty() ? log : log.append(entries);
        return new Result(entries, timed, (System.nanoTime() - start) / 1e9, updated);
    }

    /** The layers whose task the log does not have yet. */
    private static Map<String, LayerTask> untuned(CModule plain, TuningLog log) {
        Map<String, LayerTask> untuned = new LinkedHashMap<>();
        plain.tasks().forEach((layer, task) -> {
            if (!log.has(task.key())) {
                untuned.put(layer, task);
            }
        });
        return untuned;
    }

    /** Build {@code i}'s schedule: each untuned layer's candidate {@code i} (cycling through shorter lists). */
    private static Map<String, Map<String, Integer>> candidates(Map<String, LayerTask> untuned, int i) {
        Map<String, Map<String, Integer>> layers = new HashMap<>();
        for (Map.Entry<String, LayerTask> u : untuned.entrySet()) {
            List<Map<String, Integer>> candidates = u.getValue().candidates();
            layers.put(u.getKey(), candidates.get(i % candidates.size()));
        }
        return layers;
    }

    /** Keeps each untuned task's fastest time per candidate. */
    private static void keepFastest(
            Map<String, Map<Map<String, Integer>, Double>> times,
            Map<String, LayerTask> untuned,
            Map<String, Map<String, Integer>> layers,
            Map<String, Double> ms) {
        ms.forEach((layer, t) -> {
            LayerTask task = untuned.get(layer);
            if (task != null) {
                times.computeIfAbsent(task.key(), k -> new HashMap<>()).merge(layers.get(layer), t, Math::min);
            }
        });
    }

    /** Each task's fastest schedule, with the time of its default one; once per task. */
    private static List<TuningLog.Entry> best(
            Map<String, LayerTask> untuned,
            Map<String, Map<Map<String, Integer>, Double>> times,
            CModule plain,
            int threads) {
        List<TuningLog.Entry> entries = new ArrayList<>();
        untuned.forEach((layer, task) -> {
            Map<Map<String, Integer>, Double> t = times.remove(task.key());
            if (t == null || t.isEmpty()) {
                return; // a second layer of the same task, or nothing measured
            }
            Map.Entry<Map<String, Integer>, Double> best =
                    t.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow();
            Double defaultMs = t.get(plain.schedule().layers().getOrDefault(layer, Map.of()));
            entries.add(new TuningLog.Entry(
                    task.key(), best.getKey(), best.getValue(), defaultMs == null ? Double.NaN : defaultMs, threads));
        });
        return entries;
    }

    /** Per-layer times (ms) of one schedule, or none when it does not build or run. */
    private static Map<String, Double> timeLayers(
            Graph realized,
            Target target,
            Path cacheDir,
            TuningLog log,
            ScheduleConfig schedule,
            int threads,
            double seconds) {
        try {
            CModule module = CModuleEmitter.emit(realized, target, schedule, log);
            BenchResult b = NativeModel.build(module, target, cacheDir, List.of())
                    .bench(threads, seconds, true, NativeModel.defaultTimeout());
            if (!b.ok()) {
                LOG.warn("tuning: a schedule did not run: {}", b.reason());
                return Map.of();
            }
            Map<String, Double> ms = new HashMap<>();
            b.layers().forEach(l -> ms.merge(l.name(), l.ms(), Double::sum));
            return ms;
        } catch (NativeBuildException | LoweringException e) {
            LOG.warn("tuning: a schedule did not build: {}", e.getMessage());
            return Map.of();
        }
    }
}

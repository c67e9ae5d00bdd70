package dev.qtune.search.sensitivity;

import dev.qtune.search.space.GeneKey;
import dev.qtune.search.trial.TrialMetrics;
import dev.qtune.search.trial.TrialResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The result of a sensitivity analysis: the base config's measures (divergence from fp32, top-1,
 * agreement, median latency, size) and, per probed option, its deltas ({@link SensitivityEntry}).
 * "Top-1" here is the search's accuracy metric ({@code TrialMetrics.accuracy}): top-1 unless the
 * experiment names another.
 * {@code noiseMs} is the spread of the base config's repeated latency medians (at least 1% of its
 * latency); a latency delta within it is recorded as 0, so the additive model does not add up
 * noise into savings that no single option makes.
 */
public record SensitivityTable(
        double baseDivergence,
        double baseTop1,
        double baseAgreement,
        double baseLatencyMs,
        long baseSizeBytes,
        double noiseMs,
        int samples,
        List<SensitivityEntry> entries) {
    public SensitivityTable {
        entries = List.copyOf(entries);
    }

    /**
     * The table of a plan's probes and their results (same order). Fails when no base measurement
     * succeeded: without it no delta means anything.
     */
    public static SensitivityTable of(List<SensitivityProbe> probes, List<TrialResult> results) {
        if (probes.size() != results.size()) {
            throw new IllegalArgumentException(
                    "one result per probe, but had " + results.size() + " for " + probes.size());
        }
        SensitivityTable base = baseFigures(probes, results);
        List<SensitivityEntry> entries = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            if (!probes.get(i).isBase()) {
                entries.add(base.entryOf(probes.get(i), results.get(i)));
            }
        }
        return new SensitivityTable(
                base.baseDivergence,
                base.baseTop1,
                base.baseAgreement,
                base.baseLatencyMs,
                base.baseSizeBytes,
                base.noiseMs,
                base.samples,
                entries);
    }

    /** The base figures (means of the base's measurements, median latency and its spread), no entries. */
    private static SensitivityTable baseFigures(List<SensitivityProbe> probes, List<TrialResult> results) {
        List<TrialMetrics> base = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            if (probes.get(i).isBase() && results.get(i).ok()) {
                base.add(results.get(i).metrics().orElseThrow());
            }
        }
        if (base.isEmpty()) {
            String reason = results.isEmpty() ? "no probe ran" : results.get(0).reason();
            throw new IllegalStateException("sensitivity analysis: the base config failed: " + reason);
        }
        double[] lat = base.stream()
                .mapToDouble(TrialMetrics::latencyMedianMs)
                .sorted()
                .toArray();
        double baseLat = lat[lat.length / 2];
        double noise = Math.max(0.01 * baseLat, lat[lat.length - 1] - lat[0]);
        TrialMetrics b = base.get(0);
        return new SensitivityTable(
                mean(base, TrialMetrics::divergence),
                mean(base, TrialMetrics::accuracy),
                mean(base, TrialMetrics::agreement),
                baseLat,
                b.sizeBytes(),
                noise,
                b.samples(),
                List.of());
    }

    /** One probe's entry: its changes against these base figures (a latency change within the noise is 0). */
    private SensitivityEntry entryOf(SensitivityProbe p, TrialResult r) {
        if (!r.ok()) {
            return new SensitivityEntry(p.layer(), p.kind(), p.value(), false, r.reason(), 0, 0, 0, 0, 0);
        }
        TrialMetrics m = r.metrics().orElseThrow();
        double dLat = m.latencyMedianMs() - baseLatencyMs;
        return new SensitivityEntry(
                p.layer(),
                p.kind(),
                p.value(),
                true,
                "",
                m.divergence() - baseDivergence,
                m.accuracy() - baseTop1,
                m.agreement() - baseAgreement,
                Math.abs(dLat) <= noiseMs ? 0 : dLat,
                m.sizeBytes() - baseSizeBytes);
    }

    private static double mean(List<TrialMetrics> ms, ToDoubleFunction<TrialMetrics> f) {
        return ms.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    /** The entry of {@code gene} at {@code value}, if it was probed and succeeded. */
    public Optional<SensitivityEntry> entry(GeneKey gene, String value) {
        return Optional.ofNullable(succeeded().getOrDefault(gene, Map.of()).get(value));
    }

    /** The entries of the probes that succeeded, by gene and value. */
    public Map<GeneKey, Map<String, SensitivityEntry>> succeeded() {
        Map<GeneKey, Map<String, SensitivityEntry>> m = new HashMap<>();
        for (SensitivityEntry e : entries) {
            if (e.ok()) {
                m.computeIfAbsent(e.gene(), g -> new HashMap<>()).put(e.value(), e);
            }
        }
        return m;
    }

    /** The entries sorted by their divergence change, largest (most harmful) first. */
    public List<SensitivityEntry> byHarm() {
        SensitivityEntry[] a = entries.toArray(new SensitivityEntry[0]);
        Arrays.sort(a, (x, y) -> Double.compare(y.dDivergence(), x.dDivergence()));
        return List.of(a);
    }
}

package dev.qtune.experiments.run;

import dev.qtune.experiments.config.ExperimentConfig;
import dev.qtune.search.exec.TrialExecutor;
import dev.qtune.search.loop.SearchListener;
import dev.qtune.search.sensitivity.SensitivityPlan;
import dev.qtune.search.sensitivity.SensitivityProbe;
import dev.qtune.search.sensitivity.SensitivityTable;
import dev.qtune.search.trial.TrialKind;
import dev.qtune.search.trial.TrialResult;
import dev.qtune.search.trial.TrialSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sensitivity analysis of an experiment (`qtune sensitivity`, and the first phase of a search
 * whose strategy needs it): the {@link SensitivityPlan}'s probes run as native trials of kind
 * {@code sensitivity} on the executor (the same compile, accuracy against fp32 and latency stages
 * as search trials, at most {@value #MAX_SAMPLES} validation images: the KL divergence against
 * fp32 is steady long before top-1 is), turned into a {@link SensitivityTable}. The table is
 * cached in the cache folder by everything it depends on (model, data, target, probes' configs,
 * samples, timing), so a second search of the same space skips the phase, and written to the run
 * directory as {@code sensitivity.json} (docs/formats.md), which a resumed search reads back first.
 */
public final class SensitivityPhase {
    public static final String FILE = "sensitivity.json";
    /** Validation images a probe is measured on. */
    static final int MAX_SAMPLES = 2000;

    private static final Logger LOG = LoggerFactory.getLogger(SensitivityPhase.class);

    private SensitivityPhase() {}

    /** The table: from the cache when there, else measured on {@code executor}; written to {@code runDir} when given. */
    public static SensitivityTable run(
            ExperimentConfig exp,
            TrialWorkspace ws,
            TrialExecutor executor,
            Optional<Path> runDir,
            SearchListener listener) {
        List<SensitivityProbe> probes = SensitivityPlan.of(ws.space());
        int samples = Math.min(
                MAX_SAMPLES,
                Math.min(exp.validationSamples(), ws.setup().validation().count()));
        Path cached = ws.setup().cacheDir().resolve("sensitivity").resolve(key(ws, probes, samples, exp) + ".json");
        // a resumed search uses the table its first run used (a new measurement would differ by noise)
        Optional<SensitivityTable> known = runDir.flatMap(d -> SensitivityJson.read(d.resolve(FILE)))
                .filter(t -> matches(t, probes))
                .or(() -> SensitivityJson.read(cached).filter(t -> matches(t, probes)));
        SensitivityTable table;
        if (known.isPresent()) {
            LOG.info("sensitivity table from the cache: {}", cached);
            table = known.get();
        } else {
            long start = System.nanoTime();
            table = SensitivityTable.of(
                    probes, measure(probes, ws, executor, samples, exp.measure().benchSeconds(), listener));
            LOG.info(
                    "sensitivity analysis: {} probes in {} s",
                    probes.size(),
                    String.format("%.1f", (System.nanoTime() - start) / 1e9));
            SensitivityJson.write(cached, table);
        }
        runDir.ifPresent(d -> SensitivityJson.write(d.resolve(FILE), table));
        return table;
    }

    private static List<TrialResult> measure(
            List<SensitivityProbe> probes,
            TrialWorkspace ws,
            TrialExecutor executor,
            int samples,
            double benchSeconds,
            SearchListener listener) {
        List<TrialSpec> specs = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            specs.add(new TrialSpec(
                    i,
                    0,
                    TrialKind.SENSITIVITY,
                    probes.get(i).label(),
                    ws.decoder().decode(probes.get(i).genome()),
                    samples,
                    benchSeconds));
        }
        Map<Integer, TrialResult> byNumber = new TreeMap<>();
        executor.run(specs, r -> {
            synchronized (byNumber) {
                byNumber.put(r.spec().number(), r);
                listener.sensitivityProgress(byNumber.size(), specs.size());
            }
        });
        return new ArrayList<>(byNumber.values());
    }

    /** Whether a table holds exactly the probes' options, in order (else it belongs to another space). */
    static boolean matches(SensitivityTable t, List<SensitivityProbe> probes) {
        List<String> want = probes.stream()
                .filter(p -> !p.isBase())
                .map(SensitivityProbe::label)
                .toList();
        List<String> have = t.entries().stream()
                .map(e -> e.layer() + "." + e.kind() + "=" + e.value())
                .toList();
        return want.equals(have);
    }

    /** SHA-256 over what the table depends on. */
    private static String key(TrialWorkspace ws, List<SensitivityProbe> probes, int samples, ExperimentConfig exp) {
        StringBuilder s = new StringBuilder("v1|")
                .append(ws.setup().modelHash())
                .append('|')
                .append(ws.setup().validation().contentHash())
                .append('|')
                .append(ws.setup().target().name())
                .append('|')
                .append(samples)
                .append('|')
                .append(exp.measure().benchSeconds())
                .append('|')
                .append(ws.base().calibrationSamples());
        for (SensitivityProbe p : probes) {
            s.append('|').append(ws.decoder().decode(p.genome()).configHash());
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

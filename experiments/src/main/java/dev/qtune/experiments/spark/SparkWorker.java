package dev.qtune.experiments.spark;

import dev.qtune.evaluator.quant.QuantEvaluation;
import dev.qtune.experiments.config.ExperimentReader;
import dev.qtune.experiments.run.TrialRecords;
import dev.qtune.experiments.run.TrialWorkspace;
import dev.qtune.search.space.Decoded;
import dev.qtune.search.trial.TrialResult;
import dev.qtune.targets.Targets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executor side of a Spark search: each JVM opens a search's workspace once (model, data
 * splits, calibration statistics, its own compile cache use) and runs the trials sent to it. In
 * local mode the driver's workspace is registered, so the one JVM loads nothing twice.
 */
final class SparkWorker {
    private static final Map<TrialEnvironment, TrialWorkspace> OPEN = new ConcurrentHashMap<>();

    private SparkWorker() {}

    /** Makes the driver's own workspace the one its JVM's tasks use. */
    static void register(TrialEnvironment env, TrialWorkspace ws) {
        OPEN.put(env, ws);
    }

    static void unregister(TrialEnvironment env) {
        OPEN.remove(env);
    }

    /** Runs one trial; never throws: whatever goes wrong comes back as an error naming it. */
    static WireResult run(TrialEnvironment env, WireSpec w) {
        try {
            TrialWorkspace ws = OPEN.computeIfAbsent(env, SparkWorker::open);
            Decoded d = ws.decoder().decode(w.toGenome());
            if (!d.configHash().equals(w.configHash())) {
                return WireResult.error(
                        w.id(),
                        "the executor decoded the genome to config " + d.configHash() + ", the driver to "
                                + w.configHash() + " (do the nodes see the same model and experiment?)");
            }
            TrialResult r = ws.evaluator().evaluate(w.toSpec(d));
            return WireResult.ok(w.id(), TrialRecords.toJson(r).toString());
        } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
            return WireResult.error(w.id(), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static TrialWorkspace open(TrialEnvironment env) {
        env.applyProperties();
        Path file = Path.of(env.experimentFile());
        String sha = QuantEvaluation.sha256(file);
        if (!sha.equals(env.experimentSha256())) {
            throw new IllegalStateException("experiment file " + file + " differs on this node from the driver's "
                    + "(SHA-256 " + sha + ", expected " + env.experimentSha256() + ")");
        }
        return TrialWorkspace.open(ExperimentReader.read(file), Targets.byName(env.target()));
    }
}

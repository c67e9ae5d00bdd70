package dev.qtune.experiments.spark;

import dev.qtune.evaluator.calibration.CalibrationCache;
import dev.qtune.evaluator.data.DataRoot;
import dev.qtune.evaluator.quant.QuantEvaluation;
import dev.qtune.experiments.run.TrialWorkspace;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a Spark executor needs to open a search's workspace on its own: the experiment file (an
 * absolute path every node can read, e.g. on a shared file system, and its SHA-256 so that an
 * edited file is refused rather than mixed in), the target's name, and the driver's qtune system
 * properties (data root, cache folder, compiler choice), which the executor JVM lacks.
 */
public record TrialEnvironment(
        String experimentFile, String experimentSha256, String target, Map<String, String> properties)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public TrialEnvironment {
        Objects.requireNonNull(experimentFile, "experimentFile");
        Objects.requireNonNull(experimentSha256, "experimentSha256");
        Objects.requireNonNull(target, "target");
        properties = Map.copyOf(properties);
    }

    /** This driver's environment for the experiment file and target. */
    public static TrialEnvironment of(Path experimentFile, String target) {
        Map<String, String> props = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("qtune."))
                .forEach(k -> props.put(k, System.getProperty(k)));
        props.put(DataRoot.PROPERTY, DataRoot.locate().toString());
        props.put(
                CalibrationCache.PROPERTY,
                CalibrationCache.defaultDir().toAbsolutePath().toString());
        Path file = experimentFile.toAbsolutePath().normalize();
        return new TrialEnvironment(file.toString(), QuantEvaluation.sha256(file), target, props);
    }

    /** This driver's environment for a workspace's experiment file and target. */
    public static TrialEnvironment of(TrialWorkspace ws) {
        return of(ws.experiment().file(), ws.setup().target().name());
    }

    /** Sets each of the driver's qtune properties that this JVM does not have yet. */
    void applyProperties() {
        properties.forEach((k, v) -> {
            if (System.getProperty(k) == null) {
                System.setProperty(k, v);
            }
        });
    }
}

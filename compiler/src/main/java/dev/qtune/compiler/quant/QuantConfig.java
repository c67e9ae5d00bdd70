package dev.qtune.compiler.quant;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A whole-model quantization config: defaults for every layer, per-layer overrides applied in
 * order (a later match wins), and the global settings. {@code boundaryCalibration}, when present,
 * replaces the layer's activation calibration mode at boundaries, where fp32 data enters the
 * integer graph (the model input after its fp32 normalisation, outputs of layers kept in fp32):
 * such inputs are often discrete and spiky (pixels), where KL divergence clips far too much.
 * {@code source} names the file the config came from, for error messages.
 */
public record QuantConfig(
        LayerQuantConfig defaults,
        List<LayerOverride> layers,
        int calibrationSamples,
        OptionalDouble globalScale,
        boolean allowFp32Islands,
        Optional<CalibrationMode> boundaryCalibration,
        String source) {
    public static final int DEFAULT_CALIBRATION_SAMPLES = 1000;
    /** The most calibration samples a config may ask for (as in experiment files). */
    public static final int MAX_CALIBRATION_SAMPLES = 1_000_000;

    public QuantConfig {
        Objects.requireNonNull(defaults, "defaults");
        layers = List.copyOf(layers);
        if (calibrationSamples < 1) {
            throw new IllegalArgumentException("calibration_samples must be >= 1, but was " + calibrationSamples);
        }
        Objects.requireNonNull(globalScale, "globalScale");
        Objects.requireNonNull(boundaryCalibration, "boundaryCalibration");
        if (globalScale.isPresent() && !(globalScale.getAsDouble() > 0)) {
            throw new IllegalArgumentException("global_scale must be > 0, but was " + globalScale.getAsDouble());
        }
    }

    /** The int8 defaults with nothing overridden. */
    public static QuantConfig defaultConfig() {
        return new QuantConfig(
                LayerQuantConfig.DEFAULT,
                List.of(),
                DEFAULT_CALIBRATION_SAMPLES,
                OptionalDouble.empty(),
                true,
                Optional.empty(),
                "<default>");
    }

    /** The effective config of the layer (node) named {@code nodeName}. */
    public LayerQuantConfig forLayer(String nodeName) {
        LayerQuantConfig c = defaults;
        for (LayerOverride o : layers) {
            if (o.pattern().matches(nodeName)) {
                c = o.applyTo(c);
            }
        }
        return c;
    }

    /**
     * Fails with a message naming the file, the key path and the layer names if an override's
     * pattern matches none of {@code layerNames} (a typo would otherwise silently do nothing).
     */
    public void checkPatterns(Collection<String> layerNames) {
        for (int i = 0; i < layers.size(); i++) {
            LayerOverride o = layers.get(i);
            if (layerNames.stream().noneMatch(o.pattern()::matches)) {
                List<String> names = new ArrayList<>(layerNames);
                throw new QuantConfigException(source + ": layers[" + i + "].match: pattern '"
                        + o.pattern().text() + "' matches no quantizable layer; layers are: "
                        + String.join(", ", names));
            }
        }
    }
}

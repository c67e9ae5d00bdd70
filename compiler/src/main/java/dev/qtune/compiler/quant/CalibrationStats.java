package dev.qtune.compiler.quant;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Statistics of every fp32 value of a graph (graph inputs and node outputs) over a calibration set,
 * collected once per (model, calibration set) and reused by every config: a new bit width or mode
 * only recomputes thresholds from these.
 */
public record CalibrationStats(String modelHash, String dataHash, int samples, Map<String, TensorStats> tensors) {
    public CalibrationStats {
        if (samples < 1) {
            throw new IllegalArgumentException("calibration samples must be >= 1, but was " + samples);
        }
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    public Optional<TensorStats> get(String value) {
        return Optional.ofNullable(tensors.get(value));
    }
}

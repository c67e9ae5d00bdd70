package dev.qtune.evaluator.quant;

import dev.qtune.compiler.quant.QuantizedModel;
import java.util.Objects;

/** A model quantized under one config, and how its calibration statistics were obtained. */
public record QuantizedRun(QuantizedModel model, CalibrationRun calibration) {
    public QuantizedRun {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(calibration, "calibration");
    }
}

package dev.qtune.search.space;

import dev.qtune.compiler.quant.ActivationMode;
import dev.qtune.compiler.quant.CalibrationMode;
import dev.qtune.compiler.quant.Granularity;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The decoded choices of one quantizable layer: bits, calibration, granularity, whether it stays
 * in fp32 ({@code skip}), its schedule knobs (empty when skipped: fp32 kernels have none), and
 * whether its activations that may be negative are stored with a zero point ({@code activationMode}).
 */
public record LayerChoice(
        String layer,
        String op,
        int weightBits,
        int activationBits,
        CalibrationMode calibration,
        Granularity granularity,
        boolean skip,
        Map<String, Integer> knobs,
        ActivationMode activationMode) {
    public LayerChoice {
        knobs = Collections.unmodifiableMap(new TreeMap<>(knobs));
        Objects.requireNonNull(activationMode, "activationMode");
    }

    /** Choices with symmetric activations. */
    public LayerChoice(
            String layer,
            String op,
            int weightBits,
            int activationBits,
            CalibrationMode calibration,
            Granularity granularity,
            boolean skip,
            Map<String, Integer> knobs) {
        this(layer, op, weightBits, activationBits, calibration, granularity, skip, knobs, ActivationMode.SYMMETRIC);
    }
}

package dev.qtune.compiler.quant;

import java.util.Objects;

/**
 * The quantization choices for one layer (a Conv, Gemm or MatMul node and the activations it
 * produces). Bits: weights 2..8, activations 2..8 or 16. {@code percentile} is used by the
 * PERCENTILE calibration mode only, in (0, 100].
 */
public record LayerQuantConfig(
        int weightBits,
        int activationBits,
        WeightScaleMode weightScale,
        Granularity granularity,
        CalibrationMode activationCalibration,
        double percentile,
        boolean skip,
        Rounding rounding,
        ActivationMode activationMode) {
    /** qtune's default: int8 per-channel max weights, int8 KL symmetric activations, nothing skipped. */
    public static final LayerQuantConfig DEFAULT = new LayerQuantConfig(
            8,
            8,
            WeightScaleMode.MAX,
            Granularity.PER_CHANNEL,
            CalibrationMode.KL,
            99.99,
            false,
            Rounding.UPWARD,
            ActivationMode.SYMMETRIC);

    public LayerQuantConfig {
        if (weightBits < 2 || weightBits > 8) {
            throw new IllegalArgumentException("weight_bits must be in 2..8, but was " + weightBits);
        }
        if (!(activationBits >= 2 && activationBits <= 8) && activationBits != 16) {
            throw new IllegalArgumentException("activation_bits must be in 2..8 or 16, but was " + activationBits);
        }
        Objects.requireNonNull(weightScale, "weight_scale");
        Objects.requireNonNull(granularity, "granularity");
        Objects.requireNonNull(activationCalibration, "activation_calibration");
        Objects.requireNonNull(rounding, "rounding");
        Objects.requireNonNull(activationMode, "activation_mode");
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], but was " + percentile);
        }
    }

    /** A config with symmetric activations (the form before {@code activation_mode} existed). */
    public LayerQuantConfig(
            int weightBits,
            int activationBits,
            WeightScaleMode weightScale,
            Granularity granularity,
            CalibrationMode activationCalibration,
            double percentile,
            boolean skip,
            Rounding rounding) {
        this(
                weightBits,
                activationBits,
                weightScale,
                granularity,
                activationCalibration,
                percentile,
                skip,
                rounding,
                ActivationMode.SYMMETRIC);
    }

    /** This config with activation mode {@code mode}. */
    public LayerQuantConfig withActivationMode(ActivationMode mode) {
        return new LayerQuantConfig(
                weightBits,
                activationBits,
                weightScale,
                granularity,
                activationCalibration,
                percentile,
                skip,
                rounding,
                mode);
    }

    /** True when activations that may be negative take a zero point: asymmetric mode, at most 8 bits. */
    public boolean asymmetricActivations() {
        return activationMode == ActivationMode.ASYMMETRIC && activationBits <= 8;
    }
}

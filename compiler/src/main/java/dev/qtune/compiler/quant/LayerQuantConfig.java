package dev.qtune.compiler.quant;

import java.util.Objects;

/**
 * The quantization choices for one layer (a Conv, Gemm or MatMul node and the activations it
 * produces). Bits: weights 2..8, activations 2..8 or 16. {@code percentile} is used by the
 * PERCENTILE calibration mode only, in (0, 100].
 */
public record LayerQuantConfig(int weightBits, int activationBits, WeightScaleMode weightScale,
                               Granularity granularity, CalibrationMode activationCalibration,
                               double percentile, boolean skip, Rounding rounding) {
    /** qtune's default: int8 per-channel max weights, int8 KL activations, nothing skipped. */
    public static final LayerQuantConfig DEFAULT = new LayerQuantConfig(8, 8, WeightScaleMode.MAX,
            Granularity.PER_CHANNEL, CalibrationMode.KL, 99.99, false, Rounding.UPWARD);

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
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], but was " + percentile);
        }
    }
}

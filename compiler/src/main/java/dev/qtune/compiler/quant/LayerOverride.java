package dev.qtune.compiler.quant;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** Per-layer settings that replace the defaults for the layers a pattern matches; absent = keep. */
public record LayerOverride(
        LayerPattern pattern,
        OptionalInt weightBits,
        OptionalInt activationBits,
        Optional<WeightScaleMode> weightScale,
        Optional<Granularity> granularity,
        Optional<CalibrationMode> activationCalibration,
        OptionalDouble percentile,
        Optional<Boolean> skip,
        Optional<Rounding> rounding,
        Optional<ActivationMode> activationMode) {
    public LayerOverride {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(activationMode, "activationMode");
    }

    /** An override that leaves the activation mode as it was (the form before {@code activation_mode} existed). */
    public LayerOverride(
            LayerPattern pattern,
            OptionalInt weightBits,
            OptionalInt activationBits,
            Optional<WeightScaleMode> weightScale,
            Optional<Granularity> granularity,
            Optional<CalibrationMode> activationCalibration,
            OptionalDouble percentile,
            Optional<Boolean> skip,
            Optional<Rounding> rounding) {
        this(
                pattern,
                weightBits,
                activationBits,
                weightScale,
                granularity,
                activationCalibration,
                percentile,
                skip,
                rounding,
                Optional.empty());
    }

    /** The config {@code base} with this override's present fields replacing its own. */
    public LayerQuantConfig applyTo(LayerQuantConfig base) {
        return new LayerQuantConfig(
                weightBits.orElse(base.weightBits()),
                activationBits.orElse(base.activationBits()),
                weightScale.orElse(base.weightScale()),
                granularity.orElse(base.granularity()),
                activationCalibration.orElse(base.activationCalibration()),
                percentile.orElse(base.percentile()),
                skip.orElse(base.skip()),
                rounding.orElse(base.rounding()),
                activationMode.orElse(base.activationMode()));
    }
}

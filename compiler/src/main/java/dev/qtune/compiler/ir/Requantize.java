package dev.qtune.compiler.ir;

import dev.qtune.compiler.quant.FixedPointMultiplier;
import dev.qtune.compiler.quant.IntRange;
import dev.qtune.compiler.quant.Rounding;
import java.util.List;
import java.util.Objects;

/**
 * The output stage of an integer op: per-channel (or one) fixed-point multipliers taking the int32
 * accumulator to the output scale, the tie rounding, the saturation range (a fused ReLU is a range
 * starting at the zero point), the storage type, the output scale it lands in, the fp32 tensor of
 * the unquantized graph that the output stands for (for error measurements such as per-layer
 * SQNR), and the output's zero point, added after the multiplier and before the saturation.
 */
public record Requantize(
        List<FixedPointMultiplier> multipliers,
        Rounding rounding,
        IntRange range,
        DType dtype,
        float outputScale,
        String tensor,
        int zeroPoint) {
    public Requantize {
        multipliers = List.copyOf(multipliers);
        if (multipliers.isEmpty()) {
            throw new IllegalArgumentException("requantize must have at least one multiplier");
        }
        Objects.requireNonNull(rounding, "rounding");
        Objects.requireNonNull(range, "range");
        if (!dtype.isInteger() || range.min() < dtype.min() || range.max() > dtype.max()) {
            throw new IllegalArgumentException(
                    "requantize range [" + range.min() + ", " + range.max() + "] must fit the integer type " + dtype);
        }
        if (zeroPoint < dtype.min() || zeroPoint > dtype.max()) {
            throw new IllegalArgumentException(
                    "requantize zero point " + zeroPoint + " must fit the integer type " + dtype);
        }
    }

    /** A symmetric output: zero point 0. */
    public Requantize(
            List<FixedPointMultiplier> multipliers,
            Rounding rounding,
            IntRange range,
            DType dtype,
            float outputScale,
            String tensor) {
        this(multipliers, rounding, range, dtype, outputScale, tensor, 0);
    }

    /** clamp(M_channel(a) + zeroPoint), the output value of accumulator (or rescaled input) {@code a}. */
    public int apply(long a, int channel) {
        long v = multiplier(channel).apply(a, rounding); // saturated at the long range for huge accumulators
        return range.clamp(Math.max(-(1L << 62), Math.min(1L << 62, v)) + zeroPoint);
    }

    public FixedPointMultiplier multiplier(int channel) {
        return multipliers.size() == 1 ? multipliers.get(0) : multipliers.get(channel);
    }
}

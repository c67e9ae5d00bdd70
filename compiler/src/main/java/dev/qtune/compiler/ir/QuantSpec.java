package dev.qtune.compiler.ir;

import dev.qtune.compiler.quant.IntRange;
import dev.qtune.compiler.quant.LayerQuantConfig;
import java.util.List;
import java.util.Objects;

/**
 * How one tensor is quantized: its role, the integer storage type and range, the channel axis of
 * per-channel scales (-1 for one scale), the layer config it follows, and the scales once
 * calibration has set them (empty before), and the zero point: real = (q - zeroPoint) * scale.
 * qtune's own quantizer is symmetric (zero point 0); a pre-quantized model's activations may have
 * any zero point of their storage type (docs/integer-semantics.md, "Zero points").
 */
public record QuantSpec(
        QuantRole role,
        DType storage,
        IntRange range,
        int axis,
        LayerQuantConfig config,
        List<Float> scales,
        int zeroPoint) {
    public QuantSpec {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(config, "config");
        if (!storage.isInteger()) {
            throw new IllegalArgumentException("quantized storage type must be an integer type, but was " + storage);
        }
        if (range.min() < storage.min() || range.max() > storage.max()) {
            throw new IllegalArgumentException(
                    "range [" + range.min() + ", " + range.max() + "] must fit " + storage + ", but does not");
        }
        if (zeroPoint < range.min() || zeroPoint > range.max()) {
            throw new IllegalArgumentException("zero point " + zeroPoint + " must lie in the range [" + range.min()
                    + ", " + range.max() + "], but does not");
        }
        scales = List.copyOf(scales);
        for (Float s : scales) {
            if (!(s > 0) || s.isInfinite()) {
                throw new IllegalArgumentException("scales must be positive and finite, but contain " + s);
            }
        }
    }

    /** A symmetric spec: zero point 0. */
    public QuantSpec(
            QuantRole role, DType storage, IntRange range, int axis, LayerQuantConfig config, List<Float> scales) {
        this(role, storage, range, axis, config, scales, 0);
    }

    public boolean isCalibrated() {
        return !scales.isEmpty();
    }

    public QuantSpec withScales(List<Float> newScales) {
        return new QuantSpec(role, storage, range, axis, config, newScales, zeroPoint);
    }

    public QuantSpec withZeroPoint(int newZeroPoint) {
        return new QuantSpec(role, storage, range, axis, config, scales, newZeroPoint);
    }

    /** The one scale of a per-tensor spec. */
    public float scale() {
        if (scales.size() != 1) {
            throw new IllegalStateException("spec must have exactly one scale, but has " + scales.size());
        }
        return scales.get(0);
    }

    public float[] scaleArray() {
        float[] s = new float[scales.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scales.get(i);
        }
        return s;
    }
}

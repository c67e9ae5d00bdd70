package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.SimQuantizeNode;
import java.util.List;
import java.util.Optional;

/** A layer's output quantization point and the Relu or Clip the layer fuses before it, if any. */
record OutputPoint(SimQuantizeNode point, Optional<FusedActivation> activation) {
    /** The scale of the point's integers. */
    float scale() {
        return new QuantSpecView(point).scale();
    }

    /**
     * The output stage for this point with multipliers {@code ms}: its range (narrowed by a fused
     * Relu or Clip), storage, rounding, scale and zero point.
     */
    Requantize requantize(List<FixedPointMultiplier> ms) {
        float scale = scale();
        int z = point.spec().zeroPoint();
        IntRange range = activation
                .map(a -> a.narrow(point.spec().range(), scale, z))
                .orElse(point.spec().range());
        return new Requantize(
                ms, point.spec().config().rounding(), range, point.spec().storage(), scale, point.tensor(), z);
    }
}

package dev.qtune.compiler.ir;

import dev.qtune.compiler.quant.IntRange;
import java.util.List;

/**
 * fp32 to integer at a boundary: q = clamp(rint(x / scale) + zeroPoint) in float32 arithmetic,
 * stored as {@code dtype}.
 */
public record QuantizeNode(
        String name, List<String> inputs, String output, float scale, DType dtype, IntRange range, int zeroPoint)
        implements DataNode {
    public QuantizeNode {
        inputs = NodeChecks.node("Quantize", name, inputs, 1, 1, output);
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException(
                    "Quantize node '" + name + "' scale must be positive and finite, but was " + scale);
        }
    }

    /** A symmetric quantize: zero point 0. */
    public QuantizeNode(String name, List<String> inputs, String output, float scale, DType dtype, IntRange range) {
        this(name, inputs, output, scale, dtype, range, 0);
    }

    @Override
    public String opType() {
        return "Quantize";
    }

    @Override
    public QuantizeNode withInputs(List<String> newInputs) {
        return new QuantizeNode(name, newInputs, output, scale, dtype, range, zeroPoint);
    }
}

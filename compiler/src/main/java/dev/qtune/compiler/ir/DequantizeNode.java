package dev.qtune.compiler.ir;

import java.util.List;

/** Integer to fp32 at a boundary: x = (float) (q - zeroPoint) * scale. */
public record DequantizeNode(String name, List<String> inputs, String output, float scale, int zeroPoint)
        implements DataNode {
    public DequantizeNode {
        inputs = NodeChecks.node("Dequantize", name, inputs, 1, 1, output);
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException(
                    "Dequantize node '" + name + "' scale must be positive and finite, but was " + scale);
        }
    }

    /** A symmetric dequantize: zero point 0. */
    public DequantizeNode(String name, List<String> inputs, String output, float scale) {
        this(name, inputs, output, scale, 0);
    }

    @Override
    public String opType() {
        return "Dequantize";
    }

    @Override
    public DequantizeNode withInputs(List<String> newInputs) {
        return new DequantizeNode(name, newInputs, output, scale, zeroPoint);
    }
}

package dev.qtune.compiler.ir;

import java.util.List;

/**
 * Global average pooling over the spatial axes of an NCHW tensor, keeping them as 1x1. On an
 * integer input, {@code zeroPoint} is the input's (and output's) integer of real 0 (0 in fp32).
 */
public record GlobalAvgPoolNode(String name, List<String> inputs, String output, int zeroPoint) implements DataNode {
    public GlobalAvgPoolNode {
        inputs = NodeChecks.node("GlobalAveragePool", name, inputs, 1, 1, output);
    }

    public GlobalAvgPoolNode(String name, List<String> inputs, String output) {
        this(name, inputs, output, 0);
    }

    public GlobalAvgPoolNode(String name, String input, String output) {
        this(name, List.of(input), output);
    }

    public GlobalAvgPoolNode withZeroPoint(int z) {
        return new GlobalAvgPoolNode(name, inputs, output, z);
    }

    @Override
    public String opType() {
        return "GlobalAveragePool";
    }

    @Override
    public GlobalAvgPoolNode withInputs(List<String> newInputs) {
        return new GlobalAvgPoolNode(name, newInputs, output, zeroPoint);
    }
}

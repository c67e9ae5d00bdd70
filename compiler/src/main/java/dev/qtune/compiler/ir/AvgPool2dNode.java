package dev.qtune.compiler.ir;

import java.util.List;

/**
 * 2-D average pooling over NCHW; {@code countIncludePad} says whether pads count in the divisor.
 * On an integer input, {@code zeroPoint} is the input's (and output's) integer of real 0 (0 in fp32).
 */
public record AvgPool2dNode(
        String name,
        List<String> inputs,
        String output,
        Window2d window,
        boolean ceilMode,
        boolean countIncludePad,
        int zeroPoint)
        implements DataNode {
    public AvgPool2dNode {
        inputs = NodeChecks.node("AveragePool", name, inputs, 1, 1, output);
        NodeChecks.undilated("AveragePool", name, window);
    }

    public AvgPool2dNode(
            String name,
            List<String> inputs,
            String output,
            Window2d window,
            boolean ceilMode,
            boolean countIncludePad) {
        this(name, inputs, output, window, ceilMode, countIncludePad, 0);
    }

    public AvgPool2dNode withZeroPoint(int z) {
        return new AvgPool2dNode(name, inputs, output, window, ceilMode, countIncludePad, z);
    }

    @Override
    public String opType() {
        return "AveragePool";
    }

    @Override
    public AvgPool2dNode withInputs(List<String> newInputs) {
        return new AvgPool2dNode(name, newInputs, output, window, ceilMode, countIncludePad, zeroPoint);
    }
}

package dev.qtune.compiler.ir;

import java.util.List;

/** 2-D max pooling over NCHW; padded positions never win. */
public record MaxPool2dNode(String name, List<String> inputs, String output, Window2d window, boolean ceilMode)
        implements DataNode {
    public MaxPool2dNode {
        inputs = NodeChecks.node("MaxPool", name, inputs, 1, 1, output);
        NodeChecks.notNull("MaxPool", name, "window", window);
    }

    @Override
    public String opType() {
        return "MaxPool";
    }

    @Override
    public MaxPool2dNode withInputs(List<String> newInputs) {
        return new MaxPool2dNode(name, newInputs, output, window, ceilMode);
    }
}

package dev.qtune.compiler.ir;

import java.util.List;

/** Flatten to 2-D: dimensions before {@code axis} form the rows, the rest the columns. */
public record FlattenNode(String name, List<String> inputs, String output, int axis) implements DataNode {
    public FlattenNode {
        inputs = NodeChecks.node("Flatten", name, inputs, 1, 1, output);
    }

    @Override
    public String opType() {
        return "Flatten";
    }

    @Override
    public FlattenNode withInputs(List<String> newInputs) {
        return new FlattenNode(name, newInputs, output, axis);
    }
}

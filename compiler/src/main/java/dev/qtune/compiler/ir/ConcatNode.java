package dev.qtune.compiler.ir;

import java.util.List;

/** Concatenation of its inputs along {@code axis} (negative counts from the end). */
public record ConcatNode(String name, List<String> inputs, String output, int axis) implements SingleOutputNode {
    public ConcatNode {
        inputs = NodeChecks.node("Concat", name, inputs, 1, Integer.MAX_VALUE, output);
    }

    @Override
    public String opType() {
        return "Concat";
    }

    @Override
    public ConcatNode withInputs(List<String> newInputs) {
        return new ConcatNode(name, newInputs, output, axis);
    }
}

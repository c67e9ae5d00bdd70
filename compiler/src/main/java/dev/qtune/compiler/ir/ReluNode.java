package dev.qtune.compiler.ir;

import java.util.List;

/** Rectified linear unit: max(x, 0). */
public record ReluNode(String name, List<String> inputs, String output) implements DataNode {
    public ReluNode {
        inputs = NodeChecks.node("Relu", name, inputs, 1, 1, output);
    }

    public ReluNode(String name, String input, String output) {
        this(name, List.of(input), output);
    }

    @Override
    public String opType() {
        return "Relu";
    }

    @Override
    public ReluNode withInputs(List<String> newInputs) {
        return new ReluNode(name, newInputs, output);
    }
}

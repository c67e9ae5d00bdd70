package dev.qtune.compiler.ir;

import java.util.List;

/** Rectified linear unit: max(x, 0). */
public record ReluNode(String name, List<String> inputs, String output) implements Node {
    public ReluNode {
        inputs = NodeChecks.inputs("Relu", name, inputs, 1, 1);
        NodeChecks.output("Relu", name, output);
    }

    public ReluNode(String name, String input, String output) {
        this(name, List.of(input), output);
    }

    public String input() {
        return inputs.get(0);
    }

    @Override
    public String opType() {
        return "Relu";
    }

    @Override
    public List<String> outputs() {
        return List.of(output);
    }

    @Override
    public ReluNode withInputs(List<String> newInputs) {
        return new ReluNode(name, newInputs, output);
    }
}

package dev.qtune.compiler.ir;

import java.util.List;

/** Identity: the output is the input. */
public record IdentityNode(String name, List<String> inputs, String output) implements Node {
    public IdentityNode {
        inputs = NodeChecks.inputs("Identity", name, inputs, 1, 1);
        NodeChecks.output("Identity", name, output);
    }

    public IdentityNode(String name, String input, String output) {
        this(name, List.of(input), output);
    }

    public String input() {
        return inputs.get(0);
    }

    @Override
    public String opType() {
        return "Identity";
    }

    @Override
    public List<String> outputs() {
        return List.of(output);
    }

    @Override
    public IdentityNode withInputs(List<String> newInputs) {
        return new IdentityNode(name, newInputs, output);
    }
}

package dev.qtune.compiler.ir;

import java.util.List;

/** Identity: the output is the input. */
public record IdentityNode(String name, List<String> inputs, String output) implements DataNode {
    public IdentityNode {
        inputs = NodeChecks.node("Identity", name, inputs, 1, 1, output);
    }

    @Override
    public String opType() {
        return "Identity";
    }

    @Override
    public IdentityNode withInputs(List<String> newInputs) {
        return new IdentityNode(name, newInputs, output);
    }
}

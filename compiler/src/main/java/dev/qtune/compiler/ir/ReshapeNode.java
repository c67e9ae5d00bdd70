package dev.qtune.compiler.ir;

import java.util.List;

/**
 * Reshape to the shape held by the constant second input; 0 copies the input dimension (unless
 * {@code allowZero}) and one -1 is inferred.
 */
public record ReshapeNode(String name, List<String> inputs, String output, boolean allowZero) implements DataNode {
    public ReshapeNode {
        inputs = NodeChecks.node("Reshape", name, inputs, 2, 2, output);
    }

    public String shape() {
        return inputs.get(1);
    }

    @Override
    public String opType() {
        return "Reshape";
    }

    @Override
    public ReshapeNode withInputs(List<String> newInputs) {
        return new ReshapeNode(name, newInputs, output, allowZero);
    }
}

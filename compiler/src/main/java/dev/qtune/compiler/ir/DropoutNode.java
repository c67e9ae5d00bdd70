package dev.qtune.compiler.ir;

import java.util.List;

/**
 * Dropout as it appears in inference graphs: the identity on its first input. An optional second
 * output (the mask) is kept so that SimplifyInference can refuse to remove a Dropout whose mask is used.
 */
public record DropoutNode(String name, List<String> inputs, List<String> outputs) implements Node {
    public DropoutNode {
        inputs = NodeChecks.inputs("Dropout", name, inputs, 1, 3);
        if (outputs == null
                || outputs.isEmpty()
                || outputs.size() > 2
                || outputs.get(0).isEmpty()) {
            throw new IllegalArgumentException(
                    "Dropout node '" + name + "' must have 1 or 2 outputs, but had " + outputs);
        }
        outputs = List.copyOf(outputs);
    }

    public String input() {
        return inputs.get(0);
    }

    @Override
    public String opType() {
        return "Dropout";
    }

    @Override
    public String output() {
        return outputs.get(0);
    }

    @Override
    public DropoutNode withInputs(List<String> newInputs) {
        return new DropoutNode(name, newInputs, outputs);
    }
}

package dev.qtune.compiler.ir;

import java.util.List;
import java.util.Optional;

/** Clip(x, min, max) with min and max as optional scalar inputs (opset 11+); ReLU6 is Clip(0, 6). */
public record ClipNode(String name, List<String> inputs, String output) implements DataNode {
    public ClipNode {
        inputs = NodeChecks.node("Clip", name, inputs, 1, 3, output);
    }

    public Optional<String> min() {
        return optional(1);
    }

    public Optional<String> max() {
        return optional(2);
    }

    private Optional<String> optional(int i) {
        return inputs.size() > i && !inputs.get(i).isEmpty() ? Optional.of(inputs.get(i)) : Optional.empty();
    }

    @Override
    public String opType() {
        return "Clip";
    }

    @Override
    public ClipNode withInputs(List<String> newInputs) {
        return new ClipNode(name, newInputs, output);
    }
}

package dev.qtune.compiler.ir;

import java.util.List;

/** Softmax along {@code axis} (opset 13 semantics; negative counts from the end). */
public record SoftmaxNode(String name, List<String> inputs, String output, int axis) implements DataNode {
    public SoftmaxNode {
        inputs = NodeChecks.node("Softmax", name, inputs, 1, 1, output);
    }

    @Override
    public String opType() {
        return "Softmax";
    }

    @Override
    public SoftmaxNode withInputs(List<String> newInputs) {
        return new SoftmaxNode(name, newInputs, output, axis);
    }
}

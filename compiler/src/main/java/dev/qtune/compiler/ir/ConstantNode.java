package dev.qtune.compiler.ir;

import java.util.List;

/** A node producing a constant tensor (ONNX Constant); FoldConstants turns it into an initializer. */
public record ConstantNode(String name, Tensor value, String output) implements SingleOutputNode {
    public ConstantNode {
        NodeChecks.inputs("Constant", name, List.of(), 0, 0);
        NodeChecks.output("Constant", name, output);
        NodeChecks.notNull("Constant", name, "value", value);
    }

    @Override
    public String opType() {
        return "Constant";
    }

    @Override
    public List<String> inputs() {
        return List.of();
    }

    @Override
    public ConstantNode withInputs(List<String> newInputs) {
        NodeChecks.inputs("Constant", name, newInputs, 0, 0);
        return this;
    }
}

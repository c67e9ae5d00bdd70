package dev.qtune.compiler.ir;

import java.util.List;

/** Element-wise Add, Sub, Mul or Div with numpy (multidirectional) broadcasting. */
public record BinaryNode(String name, BinaryOp op, List<String> inputs, String output) implements SingleOutputNode {
    public BinaryNode {
        if (op == null) {
            throw new IllegalArgumentException("binary node '" + name + "' op must not be null");
        }
        inputs = NodeChecks.node(op.onnxName(), name, inputs, 2, 2, output);
    }

    public String a() {
        return inputs.get(0);
    }

    public String b() {
        return inputs.get(1);
    }

    @Override
    public String opType() {
        return op.onnxName();
    }

    @Override
    public BinaryNode withInputs(List<String> newInputs) {
        return new BinaryNode(name, op, newInputs, output);
    }
}

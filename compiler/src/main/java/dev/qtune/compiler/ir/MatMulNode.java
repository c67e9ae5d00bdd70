package dev.qtune.compiler.ir;

import java.util.List;

/** Matrix product with numpy semantics for rank-2 operands and a batched rank-N left operand. */
public record MatMulNode(String name, List<String> inputs, String output) implements SingleOutputNode {
    public MatMulNode {
        inputs = NodeChecks.node("MatMul", name, inputs, 2, 2, output);
    }

    public String a() {
        return inputs.get(0);
    }

    public String b() {
        return inputs.get(1);
    }

    @Override
    public String opType() {
        return "MatMul";
    }

    @Override
    public MatMulNode withInputs(List<String> newInputs) {
        return new MatMulNode(name, newInputs, output);
    }
}

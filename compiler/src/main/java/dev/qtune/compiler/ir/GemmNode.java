package dev.qtune.compiler.ir;

import java.util.List;
import java.util.Optional;

/** General matrix multiply: Y = alpha * op(A) * op(B) + beta * C, op = optional transpose. */
public record GemmNode(
        String name, List<String> inputs, String output, float alpha, float beta, boolean transA, boolean transB)
        implements SingleOutputNode {
    public GemmNode {
        inputs = NodeChecks.node("Gemm", name, inputs, 2, 3, output);
    }

    public String a() {
        return inputs.get(0);
    }

    public String b() {
        return inputs.get(1);
    }

    public Optional<String> c() {
        return inputs.size() > 2 && !inputs.get(2).isEmpty() ? Optional.of(inputs.get(2)) : Optional.empty();
    }

    @Override
    public String opType() {
        return "Gemm";
    }

    @Override
    public GemmNode withInputs(List<String> newInputs) {
        return new GemmNode(name, newInputs, output, alpha, beta, transA, transB);
    }
}

package dev.qtune.compiler.ir;

import java.util.List;
import java.util.Objects;

/**
 * Integer fully connected layer: input [rows, K], constant weights [N, K] (one row per output),
 * optional int32 bias [N]; acc = bias + sum_k x * w exactly, then {@link Requantize} per output.
 */
public record QDenseNode(String name, List<String> inputs, String output, Requantize requantize) implements LayerNode {
    public QDenseNode {
        inputs = NodeChecks.node("QDense", name, inputs, 2, 3, output);
        Objects.requireNonNull(requantize, "requantize");
    }

    @Override
    public String opType() {
        return "QDense";
    }

    @Override
    public QDenseNode withInputs(List<String> newInputs) {
        return new QDenseNode(name, newInputs, output, requantize);
    }
}

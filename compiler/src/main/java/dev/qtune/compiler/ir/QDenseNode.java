package dev.qtune.compiler.ir;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Integer fully connected layer: input [rows, K], constant weights [N, K] (one row per output),
 * optional int32 bias [N]; acc = bias + sum_k x * w exactly, then {@link Requantize} per output.
 */
public record QDenseNode(String name, List<String> inputs, String output, Requantize requantize) implements Node {
    public QDenseNode {
        inputs = NodeChecks.inputs("QDense", name, inputs, 2, 3);
        NodeChecks.output("QDense", name, output);
        Objects.requireNonNull(requantize, "requantize");
    }

    public String input() {
        return inputs.get(0);
    }

    public String weight() {
        return inputs.get(1);
    }

    public Optional<String> bias() {
        return inputs.size() > 2 && !inputs.get(2).isEmpty() ? Optional.of(inputs.get(2)) : Optional.empty();
    }

    @Override
    public String opType() {
        return "QDense";
    }

    @Override
    public List<String> outputs() {
        return List.of(output);
    }

    @Override
    public QDenseNode withInputs(List<String> newInputs) {
        return new QDenseNode(name, newInputs, output, requantize);
    }
}

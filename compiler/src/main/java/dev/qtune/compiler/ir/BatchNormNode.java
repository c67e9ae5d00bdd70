package dev.qtune.compiler.ir;

import java.util.List;

/**
 * Inference-form batch normalisation over axis 1:
 * y = scale * (x - mean) / sqrt(var + epsilon) + bias. Inputs: x, scale, bias, mean, var.
 */
public record BatchNormNode(String name, List<String> inputs, String output, float epsilon) implements DataNode {
    public BatchNormNode {
        inputs = NodeChecks.node("BatchNormalization", name, inputs, 5, 5, output);
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException(
                    "BatchNormalization node '" + name + "' epsilon must be >= 0, but was " + epsilon);
        }
    }

    public String scale() {
        return inputs.get(1);
    }

    public String bias() {
        return inputs.get(2);
    }

    public String mean() {
        return inputs.get(3);
    }

    public String variance() {
        return inputs.get(4);
    }

    @Override
    public String opType() {
        return "BatchNormalization";
    }

    @Override
    public BatchNormNode withInputs(List<String> newInputs) {
        return new BatchNormNode(name, newInputs, output, epsilon);
    }
}

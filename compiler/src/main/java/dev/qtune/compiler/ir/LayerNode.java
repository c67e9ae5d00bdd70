package dev.qtune.compiler.ir;

import java.util.Optional;

/** A layer with weights: inputs (data, weight[, bias]); an empty bias name means none, as in ONNX. */
public interface LayerNode extends DataNode {
    /** The weight tensor: the second input. */
    default String weight() {
        return inputs().get(1);
    }

    /** The bias, where the node has a non-empty third input. */
    default Optional<String> bias() {
        return inputs().size() > 2 && !inputs().get(2).isEmpty() ? Optional.of(inputs().get(2)) : Optional.empty();
    }
}

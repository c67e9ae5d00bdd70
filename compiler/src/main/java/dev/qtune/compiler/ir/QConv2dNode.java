package dev.qtune.compiler.ir;

import java.util.List;
import java.util.Objects;

/**
 * Integer 2-D convolution: integer input (NCHW), constant integer OIHW weights, optional int32
 * bias; acc = bias + sum(x * w) exactly, then {@link Requantize} per output channel. Padding reads
 * {@code inputZeroPoint}, the integer of real 0 (the bias carries -inputZeroPoint * sum(w)).
 */
public record QConv2dNode(
        String name,
        List<String> inputs,
        String output,
        Window2d window,
        int group,
        Requantize requantize,
        int inputZeroPoint)
        implements LayerNode {
    public QConv2dNode {
        inputs = NodeChecks.node("QConv", name, inputs, 2, 3, output);
        NodeChecks.positive("QConv", name, "group", group);
        Objects.requireNonNull(requantize, "requantize");
    }

    /** A convolution of a symmetric input: padding reads 0. */
    public QConv2dNode(
            String name, List<String> inputs, String output, Window2d window, int group, Requantize requantize) {
        this(name, inputs, output, window, group, requantize, 0);
    }

    @Override
    public String opType() {
        return "QConv";
    }

    @Override
    public QConv2dNode withInputs(List<String> newInputs) {
        return new QConv2dNode(name, newInputs, output, window, group, requantize, inputZeroPoint);
    }
}

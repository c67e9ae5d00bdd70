package dev.qtune.compiler.ir;

import java.util.List;

/**
 * Integer addition of two tensors of equal shape in different scales: each input is requantized
 * to the output scale by its own multiplier (inputs' multipliers, in input order, in
 * {@code requantize}) after its zero point is subtracted, the two results and the output zero point
 * are added and saturated to the range.
 */
public record QAddNode(String name, List<String> inputs, String output, Requantize requantize,
                       List<Integer> inputZeroPoints) implements Node {
    public QAddNode {
        inputs = NodeChecks.inputs("QAdd", name, inputs, 2, 2);
        NodeChecks.output("QAdd", name, output);
        if (requantize.multipliers().size() != 2) {
            throw new IllegalArgumentException("QAdd node '" + name + "' must have 2 multipliers, but had "
                    + requantize.multipliers().size());
        }
        inputZeroPoints = NodeChecks.zeroPoints("QAdd", name, inputZeroPoints, 2);
    }

    /** An addition of symmetric inputs. */
    public QAddNode(String name, List<String> inputs, String output, Requantize requantize) {
        this(name, inputs, output, requantize, List.of(0, 0));
    }

    @Override
    public String opType() {
        return "QAdd";
    }

    @Override
    public List<String> outputs() {
        return List.of(output);
    }

    @Override
    public QAddNode withInputs(List<String> newInputs) {
        return new QAddNode(name, newInputs, output, requantize, inputZeroPoints);
    }
}

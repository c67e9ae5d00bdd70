package dev.qtune.compiler.ir;

import java.util.Collections;
import java.util.List;

/**
 * Integer concatenation: input i, less its zero point, is requantized to the output scale by
 * multiplier i, the output zero point added, then saturated.
 */
public record QConcatNode(
        String name, List<String> inputs, String output, int axis, Requantize requantize, List<Integer> inputZeroPoints)
        implements SingleOutputNode {
    public QConcatNode {
        inputs = NodeChecks.node("QConcat", name, inputs, 1, Integer.MAX_VALUE, output);
        if (requantize.multipliers().size() != inputs.size()) {
            throw new IllegalArgumentException("QConcat node '" + name + "' must have one multiplier per input ("
                    + inputs.size() + "), but had " + requantize.multipliers().size());
        }
        inputZeroPoints = NodeChecks.zeroPoints("QConcat", name, inputZeroPoints, inputs.size());
    }

    /** A concatenation of symmetric inputs. */
    public QConcatNode(String name, List<String> inputs, String output, int axis, Requantize requantize) {
        this(name, inputs, output, axis, requantize, Collections.nCopies(inputs.size(), 0));
    }

    public int inputZeroPoint(int input) {
        return inputZeroPoints.get(input);
    }

    @Override
    public String opType() {
        return "QConcat";
    }

    @Override
    public QConcatNode withInputs(List<String> newInputs) {
        return new QConcatNode(name, newInputs, output, axis, requantize, inputZeroPoints);
    }
}

package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.NodeOutputs;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Realize for ops that run on their input's integers and keep its scale and zero point (pools,
 * reshapes, Relu): integer when the first input is, fp32 otherwise. Per op: whether the op is
 * exact on the input's integers, and how it learns their zero point (an average pads and rounds
 * around it).
 */
final class PassThroughRealizeRule implements RealizeRule {
    /** MaxPool, Flatten, Reshape, Identity: exact for every zero point, which they never read. */
    static final PassThroughRealizeRule EXACT = new PassThroughRealizeRule(false, (n, z) -> n);
    /** max(q, 0) is a Relu only where real 0 is integer 0: with another zero point it runs in fp32 (exact). */
    static final PassThroughRealizeRule RELU = new PassThroughRealizeRule(true, (n, z) -> n);

    private final boolean needsZeroPointZero;
    private final BiFunction<Node, Integer, Node> withZeroPoint;

    private PassThroughRealizeRule(boolean needsZeroPointZero, BiFunction<Node, Integer, Node> withZeroPoint) {
        this.needsZeroPointZero = needsZeroPointZero;
        this.withZeroPoint = withZeroPoint;
    }

    /** AveragePool, GlobalAveragePool: the op is given its input's zero point by {@code withZeroPoint}. */
    static PassThroughRealizeRule averaging(BiFunction<Node, Integer, Node> withZeroPoint) {
        return new PassThroughRealizeRule(false, withZeroPoint);
    }

    @Override
    public void realize(Node n, Realizer r) {
        String in = n.inputs().get(0);
        if (!r.hasInt(in)) {
            r.fp32(n);
            return;
        }
        IntValue iv = r.intOf(in, "input of " + n.name());
        if (needsZeroPointZero && iv.zeroPoint() != 0) {
            r.fp32(n);
            return;
        }
        List<String> ins = new ArrayList<>(n.inputs());
        ins.set(0, iv.name());
        String outName = r.intName(n.output());
        Node e = withZeroPoint.apply(n.withInputs(ins), iv.zeroPoint());
        if (!outName.equals(n.output())) {
            e = NodeOutputs.withOutput(e, outName);
        }
        r.emit(e);
        r.defineInt(n.output(), iv.renamed(outName));
    }
}

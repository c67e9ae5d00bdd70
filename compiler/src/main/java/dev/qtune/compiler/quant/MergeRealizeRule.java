package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Requantize;
import java.util.ArrayList;
import java.util.List;

/**
 * Realize for ops that merge integer values (Add, Concat): when every input has an integer form,
 * each is requantized to the scale of the op's output point (per-input fixed-point multiplier
 * s_in / s_out) by one integer op; otherwise the op stays fp32.
 */
abstract class MergeRealizeRule implements RealizeRule {
    /** Whether annotate gave this node its own output point (else it stays fp32). */
    abstract boolean merges(Realizer r, Node n);

    /** The integer op for {@code n}: inputs {@code ins} with their zero points, output stage {@code rq}. */
    abstract Node integerNode(Node n, List<String> ins, String outName, Requantize rq, List<Integer> zeroPoints);

    @Override
    public final void realize(Node n, Realizer r) {
        if (!merges(r, n) || !n.inputs().stream().allMatch(r::hasInt)) {
            r.fp32(n);
            return;
        }
        OutputPoint output = r.outputPoint(n);
        float sy = output.scale();
        List<FixedPointMultiplier> ms = new ArrayList<>();
        List<String> ins = new ArrayList<>();
        List<Integer> zeroPoints = new ArrayList<>();
        for (String v : n.inputs()) {
            IntValue iv = r.intOf(v, "input of " + n.name());
            ms.add(FixedPointMultiplier.of((double) iv.scale() / sy));
            ins.add(iv.name());
            zeroPoints.add(iv.zeroPoint());
        }
        String outName = r.intName(output.point().output());
        r.emit(integerNode(n, ins, outName, output.requantize(ms), zeroPoints));
        r.defineInt(
                output.point().output(), IntValue.of(outName, sy, output.point().spec()));
    }
}

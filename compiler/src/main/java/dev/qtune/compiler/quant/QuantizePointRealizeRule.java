package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QuantRole;
import dev.qtune.compiler.ir.QuantizeNode;
import dev.qtune.compiler.ir.SimQuantizeNode;
import java.util.List;

/**
 * Realize for a SimQuantize: an activation's point becomes a Quantize of the fp32 value (an
 * INHERIT point takes its input's integers as they are); a weight or bias point emits nothing,
 * its layer's rule consumes it.
 */
final class QuantizePointRealizeRule implements RealizeRule {
    @Override
    public void realize(Node n, Realizer r) {
        SimQuantizeNode q = (SimQuantizeNode) n;
        QuantRole role = q.spec().role();
        if (role == QuantRole.WEIGHT || role == QuantRole.BIAS) {
            return;
        }
        if (role == QuantRole.INHERIT) {
            r.defineInt(q.output(), r.intOf(q.input(), "input of " + q.name()));
            return;
        }
        float scale = new QuantSpecView(q).scale();
        String in = r.floatOf(q.input());
        String name = r.intName(q.output());
        r.emit(new QuantizeNode(
                q.name(),
                List.of(in),
                name,
                scale,
                q.spec().storage(),
                q.spec().range(),
                q.spec().zeroPoint()));
        r.defineInt(q.output(), IntValue.of(name, scale, q.spec()));
    }
}

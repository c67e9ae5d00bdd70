package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QuantRole;
import dev.qtune.compiler.ir.QuantSpec;
import dev.qtune.compiler.ir.SimQuantizeNode;
import java.util.Optional;

/** Questions about the quantized values of a calibrated simulated graph. */
public final class QuantizedValues {
    private QuantizedValues() {}

    /**
     * The spec of the activation point whose integers value {@code v} carries unchanged: {@code v}
     * is that point's output, or the output of ops that keep integers on their input's grid
     * (pass-through ops and average pools, rules PASS_THROUGH and INHERIT) after it; empty otherwise.
     */
    public static Optional<QuantSpec> carried(Graph g, String v) {
        Optional<Node> producer = g.producer(v);
        while (producer.isPresent()) {
            Node p = producer.get();
            if (p instanceof SimQuantizeNode q) {
                return q.spec().role() == QuantRole.ACTIVATION || q.spec().role() == QuantRole.INHERIT
                        ? Optional.of(q.spec())
                        : Optional.empty();
            }
            AnnotateRule rule = AnnotateRules.of(g, p);
            if (rule != AnnotateRule.PASS_THROUGH && rule != AnnotateRule.INHERIT
                    || p.inputs().isEmpty()) {
                return Optional.empty();
            }
            producer = g.producer(p.inputs().get(0));
        }
        return Optional.empty();
    }
}

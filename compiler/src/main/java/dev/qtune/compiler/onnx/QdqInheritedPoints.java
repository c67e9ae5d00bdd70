package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QuantRole;
import dev.qtune.compiler.ir.QuantSpec;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.quant.AnnotateRule;
import dev.qtune.compiler.quant.AnnotateRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Marks as INHERIT the imported activation points that requantize nothing: a point after ops that
 * keep integers on their input's grid (MaxPool, Relu, Flatten, Reshape, Identity, the average
 * pools) whose scale and storage type are those of the quantized value the ops read. The integer
 * graph then runs those ops on integers, as for qtune's own INHERIT points (average pools round
 * as docs/integer-semantics.md says); any other point stays a requantization at an fp32 boundary.
 */
final class QdqInheritedPoints {
    private QdqInheritedPoints() {
    }

    /** The graph (typed) with those points' role set to INHERIT. */
    static Graph mark(Graph g) {
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (n instanceof SimQuantizeNode q && q.spec().role() == QuantRole.ACTIVATION
                    && carried(g, q.input()).filter(s -> sameGrid(s, q.spec())).isPresent()) {
                QuantSpec s = q.spec();
                nodes.add(q.withSpec(new QuantSpec(QuantRole.INHERIT, s.storage(), s.range(), s.axis(), s.config(),
                        s.scales())));
            } else {
                nodes.add(n);
            }
        }
        return g.withNodes(nodes);
    }

    /** The spec of the quantized value that {@code v} carries unchanged through pass-through ops, if any. */
    private static Optional<QuantSpec> carried(Graph g, String v) {
        Optional<Node> producer = g.producer(v);
        while (producer.isPresent()) {
            Node p = producer.get();
            if (p instanceof SimQuantizeNode q) {
                return q.spec().role() == QuantRole.ACTIVATION || q.spec().role() == QuantRole.INHERIT
                        ? Optional.of(q.spec()) : Optional.empty();
            }
            AnnotateRule rule = AnnotateRules.of(g, p);
            if (rule != AnnotateRule.PASS_THROUGH && rule != AnnotateRule.INHERIT) {
                return Optional.empty();
            }
            producer = g.producer(p.inputs().get(0));
        }
        return Optional.empty();
    }

    private static boolean sameGrid(QuantSpec carried, QuantSpec point) {
        return carried.storage() == point.storage() && carried.scales().equals(point.scales());
    }
}

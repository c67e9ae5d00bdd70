package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QuantRole;
import dev.qtune.compiler.ir.QuantSpec;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.quant.QuantizedValues;
import java.util.ArrayList;
import java.util.List;

/**
 * Marks as INHERIT the imported activation points that requantize nothing: a point after ops that
 * keep integers on their input's grid (MaxPool, Relu, Flatten, Reshape, Identity, the average
 * pools) whose scale and storage type are those of the quantized value the ops read. The integer
 * graph then runs those ops on integers, as for qtune's own INHERIT points (average pools round
 * as docs/integer-semantics.md says); any other point stays a requantization at an fp32 boundary.
 */
final class QdqInheritedPoints {
    private QdqInheritedPoints() {}

    /** The graph (typed) with those points' role set to INHERIT. */
    static Graph mark(Graph g) {
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (n instanceof SimQuantizeNode q
                    && q.spec().role() == QuantRole.ACTIVATION
                    && QuantizedValues.carried(g, q.input())
                            .filter(s -> sameGrid(s, q.spec()))
                            .isPresent()) {
                QuantSpec s = q.spec();
                nodes.add(q.withSpec(new QuantSpec(
                        QuantRole.INHERIT, s.storage(), s.range(), s.axis(), s.config(), s.scales(), s.zeroPoint())));
            } else {
                nodes.add(n);
            }
        }
        return g.withNodes(nodes);
    }

    private static boolean sameGrid(QuantSpec carried, QuantSpec point) {
        return carried.storage() == point.storage()
                && carried.scales().equals(point.scales())
                && carried.zeroPoint() == point.zeroPoint();
    }
}

package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.AvgPool2dNode;
import dev.qtune.compiler.ir.ClipNode;
import dev.qtune.compiler.ir.ConcatNode;
import dev.qtune.compiler.ir.FlattenNode;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.IdentityNode;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.ReshapeNode;
import java.util.Optional;

/**
 * Whether a value is non-negative by construction (not merely on the calibration data): outputs
 * of Relu, of Clip with a constant min >= 0, and of max/avg pools, Flatten, Reshape, Identity and
 * Concat of non-negative values. Such activations are quantized unsigned.
 */
public final class NonNegative {
    private NonNegative() {}

    public static boolean of(Graph g, String value) {
        Optional<Node> producer = g.producer(value);
        if (producer.isEmpty()) {
            return false;
        }
        Node n = producer.get();
        if (n instanceof ReluNode) {
            return true;
        }
        if (n instanceof ClipNode c) {
            return c.min().flatMap(g::constant).map(t -> t.getFloat(0) >= 0).orElse(false);
        }
        if (n instanceof MaxPool2dNode
                || n instanceof AvgPool2dNode
                || n instanceof GlobalAvgPoolNode
                || n instanceof FlattenNode
                || n instanceof ReshapeNode
                || n instanceof IdentityNode) {
            return of(g, n.inputs().get(0));
        }
        if (n instanceof ConcatNode) {
            return n.inputs().stream().allMatch(v -> of(g, v));
        }
        return false;
    }
}

package dev.qtune.compiler.pass;

import dev.qtune.compiler.ir.ConcatNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.DequantizeNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QAddNode;
import dev.qtune.compiler.ir.QConcatNode;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.ir.QuantizeNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.ir.TensorType;
import java.util.List;
import java.util.Map;

/** Type rules of the quantization nodes (registered in {@link TypeRules}). */
final class QuantTypeRules {
    private QuantTypeRules() {}

    static void register(Map<Class<? extends Node>, TypeRules.TypeRule> rules) {
        rules.put(SimQuantizeNode.class, (n, in, g) -> in.get(0));
        rules.put(
                QuantizeNode.class,
                (n, in, g) ->
                        new TensorType(((QuantizeNode) n).dtype(), in.get(0).shape()));
        rules.put(
                DequantizeNode.class,
                (n, in, g) -> new TensorType(DType.F32, in.get(0).shape()));
        rules.put(QConv2dNode.class, (n, in, g) -> qconv((QConv2dNode) n, in));
        rules.put(QDenseNode.class, (n, in, g) -> qdense((QDenseNode) n, in));
        rules.put(
                QAddNode.class,
                (n, in, g) -> new TensorType(
                        ((QAddNode) n).requantize().dtype(),
                        Broadcast.shape(n, in.get(0).shape(), in.get(1).shape())));
        rules.put(QConcatNode.class, (n, in, g) -> qconcat((QConcatNode) n, in, g));
    }

    private static TensorType qconv(QConv2dNode n, List<TensorType> in) {
        Shape x = in.get(0).shape();
        Shape w = in.get(1).shape();
        if (x.rank() != 4 || w.rank() != 4) {
            throw TypeRules.error(n, "input and weight must have rank 4, but were " + x + " and " + w);
        }
        return new TensorType(
                n.requantize().dtype(),
                Shape.of(
                        x.dim(0),
                        w.dim(0),
                        n.window().outHeight(x.dim(2), false),
                        n.window().outWidth(x.dim(3), false)));
    }

    private static TensorType qdense(QDenseNode n, List<TensorType> in) {
        Shape x = in.get(0).shape();
        Shape w = in.get(1).shape();
        if (x.rank() != 2 || w.rank() != 2 || (x.dim(1) != Shape.DYNAMIC && x.dim(1) != w.dim(1))) {
            throw TypeRules.error(n, "input [rows, K] and weight [N, K] must agree, but were " + x + " and " + w);
        }
        return new TensorType(n.requantize().dtype(), Shape.of(x.dim(0), w.dim(0)));
    }

    private static TensorType qconcat(QConcatNode n, List<TensorType> in, Graph g) {
        ConcatNode asConcat = new ConcatNode(n.name(), n.inputs(), n.output(), n.axis());
        TensorType t = TypeRules.rule(asConcat).infer(asConcat, in, g);
        return new TensorType(n.requantize().dtype(), t.shape());
    }
}

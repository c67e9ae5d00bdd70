package dev.qtune.compiler.pass;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.AvgPool2dNode;
import dev.qtune.compiler.ir.BatchNormNode;
import dev.qtune.compiler.ir.BinaryNode;
import dev.qtune.compiler.ir.ClipNode;
import dev.qtune.compiler.ir.ConcatNode;
import dev.qtune.compiler.ir.ConstantNode;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.DropoutNode;
import dev.qtune.compiler.ir.FlattenNode;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.IdentityNode;
import dev.qtune.compiler.ir.MatMulNode;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.ReshapeNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.SoftmaxNode;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.TensorType;
import dev.qtune.compiler.ir.Window2d;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-op type inference rules, keyed by node class. A dimension that is DYNAMIC in an input
 * (the batch axis) stays DYNAMIC in the output.
 */
public final class TypeRules {
    /** Infers the output type of a single-output node from its input types. */
    @FunctionalInterface
    public interface TypeRule {
        TensorType infer(Node node, List<TensorType> in, Graph graph);
    }

    private static final Map<Class<? extends Node>, TypeRule> RULES = new HashMap<>();

    static {
        RULES.put(Conv2dNode.class, (n, in, g) -> conv((Conv2dNode) n, in));
        RULES.put(GemmNode.class, (n, in, g) -> gemm((GemmNode) n, in));
        RULES.put(MatMulNode.class, (n, in, g) -> matmul(n, in));
        RULES.put(
                BinaryNode.class,
                (n, in, g) -> new TensorType(
                        in.get(0).dtype(),
                        Broadcast.shape(n, in.get(0).shape(), in.get(1).shape())));
        TypeRule same = (n, in, g) -> in.get(0);
        RULES.put(ReluNode.class, same);
        RULES.put(ClipNode.class, same);
        RULES.put(IdentityNode.class, same);
        RULES.put(DropoutNode.class, same);
        RULES.put(BatchNormNode.class, (n, in, g) -> rank(n, in.get(0), 2, 5));
        RULES.put(SoftmaxNode.class, (n, in, g) -> softmax((SoftmaxNode) n, in.get(0), g));
        RULES.put(
                MaxPool2dNode.class,
                (n, in, g) -> pool(n, in.get(0), ((MaxPool2dNode) n).window(), ((MaxPool2dNode) n).ceilMode()));
        RULES.put(
                AvgPool2dNode.class,
                (n, in, g) -> pool(n, in.get(0), ((AvgPool2dNode) n).window(), ((AvgPool2dNode) n).ceilMode()));
        RULES.put(GlobalAvgPoolNode.class, (n, in, g) -> {
            Shape s = rank(n, in.get(0), 4, 4).shape();
            return new TensorType(in.get(0).dtype(), Shape.of(s.dim(0), s.dim(1), 1, 1));
        });
        RULES.put(FlattenNode.class, (n, in, g) -> flatten((FlattenNode) n, in.get(0)));
        RULES.put(ReshapeNode.class, (n, in, g) -> reshape((ReshapeNode) n, in.get(0), g));
        RULES.put(ConcatNode.class, (n, in, g) -> concat((ConcatNode) n, in));
        RULES.put(ConstantNode.class, (n, in, g) -> ((ConstantNode) n).value().type());
        QuantTypeRules.register(RULES);
    }

    private TypeRules() {}

    public static TypeRule rule(Node n) {
        TypeRule r = RULES.get(n.getClass());
        if (r == null) {
            throw new QtuneException(n.opType() + " node '" + n.name() + "' has no type inference rule");
        }
        return r;
    }

    static QtuneException error(Node n, String message) {
        return new QtuneException(n.opType() + " node '" + n.name() + "': " + message);
    }

    private static TensorType rank(Node n, TensorType t, int min, int max) {
        if (t.shape().rank() < min || t.shape().rank() > max) {
            throw error(
                    n,
                    "input must have rank " + min + (min == max ? "" : " to " + max) + ", but has shape " + t.shape());
        }
        return t;
    }

    private static TensorType conv(Conv2dNode n, List<TensorType> in) {
        Shape x = rank(n, in.get(0), 4, 4).shape();
        Shape w = rank(n, in.get(1), 4, 4).shape();
        Window2d win = n.window();
        if (w.dim(2) != win.kernelH() || w.dim(3) != win.kernelW()) {
            throw error(n, "weight shape " + w + " must match kernel_shape " + win.kernelH() + "x" + win.kernelW());
        }
        if (x.dim(1) != Shape.DYNAMIC && x.dim(1) != w.dim(1) * n.group()) {
            throw error(
                    n,
                    "input channels must be weight channels x group = " + w.dim(1) * n.group() + ", but input shape is "
                            + x);
        }
        if (w.dim(0) % n.group() != 0) {
            throw error(n, "output channels " + w.dim(0) + " must be divisible by group " + n.group());
        }
        if (in.size() > 2 && n.bias().isPresent() && !in.get(2).shape().equals(Shape.of(w.dim(0)))) {
            throw error(
                    n,
                    "bias shape must be [" + w.dim(0) + "], but was "
                            + in.get(2).shape());
        }
        return new TensorType(
                in.get(0).dtype(),
                Shape.of(x.dim(0), w.dim(0), win.outHeight(x.dim(2), false), win.outWidth(x.dim(3), false)));
    }

    private static TensorType pool(Node n, TensorType in, Window2d win, boolean ceil) {
        Shape x = rank(n, in, 4, 4).shape();
        return new TensorType(
                in.dtype(), Shape.of(x.dim(0), x.dim(1), win.outHeight(x.dim(2), ceil), win.outWidth(x.dim(3), ceil)));
    }

    private static TensorType gemm(GemmNode n, List<TensorType> in) {
        Shape a = rank(n, in.get(0), 2, 2).shape();
        Shape b = rank(n, in.get(1), 2, 2).shape();
        int m = n.transA() ? a.dim(1) : a.dim(0);
        int ka = n.transA() ? a.dim(0) : a.dim(1);
        int kb = n.transB() ? b.dim(1) : b.dim(0);
        int cols = n.transB() ? b.dim(0) : b.dim(1);
        if (ka != Shape.DYNAMIC && kb != Shape.DYNAMIC && ka != kb) {
            throw error(
                    n,
                    "inner dimensions must agree, but A is " + a + (n.transA() ? " (transposed)" : "") + " and B is "
                            + b + (n.transB() ? " (transposed)" : ""));
        }
        return new TensorType(in.get(0).dtype(), Shape.of(m, cols));
    }

    private static TensorType matmul(Node n, List<TensorType> in) {
        Shape a = in.get(0).shape();
        Shape b = rank(n, in.get(1), 2, 2).shape();
        if (a.rank() < 2 || a.dim(a.rank() - 1) != b.dim(0)) {
            throw error(n, "shapes " + a + " and " + b + " cannot be multiplied (qtune supports [..., K] x [K, N])");
        }
        return new TensorType(in.get(0).dtype(), a.withDim(a.rank() - 1, b.dim(1)));
    }

    private static TensorType softmax(SoftmaxNode n, TensorType in, Graph g) {
        int rank = in.shape().rank();
        int axis = n.axis() < 0 ? n.axis() + rank : n.axis();
        if (axis < 0 || axis >= rank) {
            throw error(n, "axis must be in [-" + rank + ", " + rank + "), but was " + n.axis());
        }
        if (g.opset() < 13 && axis != rank - 1) {
            throw error(
                    n,
                    "before opset 13 Softmax flattens at its axis; qtune supports that only when axis is the "
                            + "last axis, but axis is " + n.axis() + " for shape " + in.shape());
        }
        return in;
    }

    private static TensorType flatten(FlattenNode n, TensorType in) {
        int rank = in.shape().rank();
        int axis = n.axis() < 0 ? n.axis() + rank : n.axis();
        if (axis < 0 || axis > rank) {
            throw error(n, "axis must be in [-" + rank + ", " + rank + "], but was " + n.axis());
        }
        try {
            return new TensorType(
                    in.dtype(), Shape.of(in.shape().product(0, axis), in.shape().product(axis, rank)));
        } catch (QtuneException e) {
            throw error(n, e.getMessage());
        }
    }

    private static TensorType reshape(ReshapeNode n, TensorType in, Graph g) {
        // InferTypes runs before FoldConstants, so a shape from a Constant node is read from the node.
        Tensor target = g.constant(n.shape())
                .or(() -> g.producer(n.shape())
                        .filter(p -> p instanceof ConstantNode)
                        .map(p -> ((ConstantNode) p).value()))
                .orElseThrow(() ->
                        error(n, "shape input '" + n.shape() + "' must be an initializer or a Constant node output"));
        return new TensorType(in.dtype(), ReshapeShapes.resolve(n, in.shape(), target));
    }

    private static TensorType concat(ConcatNode n, List<TensorType> in) {
        Shape first = in.get(0).shape();
        int rank = first.rank();
        int axis = n.axis() < 0 ? n.axis() + rank : n.axis();
        if (axis < 0 || axis >= rank) {
            throw error(n, "axis must be in [-" + rank + ", " + rank + "), but was " + n.axis());
        }
        int total = 0;
        for (TensorType t : in) {
            Shape s = t.shape();
            if (s.rank() != rank) {
                throw error(n, "inputs must have equal rank, but shapes are " + first + " and " + s);
            }
            for (int d = 0; d < rank; d++) {
                if (d != axis && s.dim(d) != first.dim(d)) {
                    throw error(
                            n, "inputs must agree except on axis " + axis + ", but shapes are " + first + " and " + s);
                }
            }
            total = total == Shape.DYNAMIC || s.dim(axis) == Shape.DYNAMIC ? Shape.DYNAMIC : total + s.dim(axis);
        }
        DType dtype = in.get(0).dtype();
        return new TensorType(dtype, first.withDim(axis, total));
    }
}

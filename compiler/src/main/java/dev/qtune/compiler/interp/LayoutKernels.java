package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.ConcatNode;
import dev.qtune.compiler.ir.ConstantNode;
import dev.qtune.compiler.ir.FlattenNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.ReshapeNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.SoftmaxNode;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.pass.ReshapeShapes;

/** Kernels that move or copy data: Flatten, Reshape, Concat, Identity, Dropout, Constant, Softmax. */
final class LayoutKernels {
    private LayoutKernels() {}

    static Tensor[] flatten(Node node, Tensor[] in, KernelContext ctx) {
        Shape s = in[0].shape();
        int axis = ((FlattenNode) node).axis();
        axis = axis < 0 ? axis + s.rank() : axis;
        return new Tensor[] {in[0].reshape(Shape.of(s.product(0, axis), s.product(axis, s.rank())))};
    }

    static Tensor[] reshape(Node node, Tensor[] in, KernelContext ctx) {
        return new Tensor[] {in[0].reshape(ReshapeShapes.resolve((ReshapeNode) node, in[0].shape(), in[1]))};
    }

    static Tensor[] identity(Node node, Tensor[] in, KernelContext ctx) {
        return node.outputs().size() == 1 ? new Tensor[] {in[0]} : new Tensor[] {in[0], null};
    }

    static Tensor[] constant(Node node, Tensor[] in, KernelContext ctx) {
        return new Tensor[] {((ConstantNode) node).value()};
    }

    static Tensor[] concat(Node node, Tensor[] in, KernelContext ctx) {
        Shape first = in[0].shape();
        int rank = first.rank();
        int axis = ((ConcatNode) node).axis();
        axis = axis < 0 ? axis + rank : axis;
        int outer = first.product(0, axis);
        int total = 0;
        for (Tensor t : in) {
            total += t.shape().dim(axis);
        }
        Shape out = first.withDim(axis, total);
        int inner = first.product(axis + 1, rank);
        float[] y = new float[out.numel()];
        int rowLen = total * inner;
        int at = 0;
        for (Tensor t : in) {
            int chunk = t.shape().dim(axis) * inner;
            float[] tf = t.floats();
            for (int o = 0; o < outer; o++) {
                System.arraycopy(tf, o * chunk, y, o * rowLen + at, chunk);
            }
            at += chunk;
        }
        return new Tensor[] {Tensor.ofFloats(out, y)};
    }

    static Tensor[] softmax(Node node, Tensor[] in, KernelContext ctx) {
        Shape s = in[0].shape();
        int axis = ((SoftmaxNode) node).axis();
        axis = axis < 0 ? axis + s.rank() : axis;
        int outer = s.product(0, axis);
        int len = s.dim(axis);
        int inner = s.product(axis + 1, s.rank());
        float[] x = in[0].floats();
        float[] y = new float[x.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * len * inner + i;
                float max = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < len; k++) {
                    max = Math.max(max, x[base + k * inner]);
                }
                double sum = 0;
                for (int k = 0; k < len; k++) {
                    sum += Math.exp(x[base + k * inner] - max);
                }
                for (int k = 0; k < len; k++) {
                    y[base + k * inner] = (float) (Math.exp(x[base + k * inner] - max) / sum);
                }
            }
        }
        return new Tensor[] {Tensor.ofFloats(s, y)};
    }
}

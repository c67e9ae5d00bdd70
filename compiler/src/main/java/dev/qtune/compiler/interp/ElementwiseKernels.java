package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.BatchNormNode;
import dev.qtune.compiler.ir.BinaryNode;
import dev.qtune.compiler.ir.BinaryOp;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.pass.Broadcast;

/** fp32 element-wise kernels: binary arithmetic with broadcasting, Relu, Clip, BatchNormalization. */
final class ElementwiseKernels {
    private ElementwiseKernels() {}

    static Tensor[] binary(Node node, Tensor[] in, KernelContext ctx) {
        BinaryOp op = ((BinaryNode) node).op();
        Tensor a = in[0];
        Tensor b = in[1];
        Shape out = Broadcast.shape(node, a.shape(), b.shape());
        float[] y = new float[out.numel()];
        float[] af = a.floats();
        float[] bf = b.floats();
        if (a.shape().equals(out) && b.shape().equals(out)) {
            for (int i = 0; i < y.length; i++) {
                y[i] = op.apply(af[i], bf[i]);
            }
        } else if (a.shape().equals(out) && b.numel() == 1) {
            float s = bf[0];
            for (int i = 0; i < y.length; i++) {
                y[i] = op.apply(af[i], s);
            }
        } else {
            int[] ai = broadcastIndex(a.shape(), out);
            int[] bi = broadcastIndex(b.shape(), out);
            for (int i = 0; i < y.length; i++) {
                y[i] = op.apply(af[ai[i]], bf[bi[i]]);
            }
        }
        return new Tensor[] {Tensor.ofFloats(out, y)};
    }

    /** y += scale * broadcast(c) where y has shape {@code out}. */
    static void accumulateBroadcast(float[] y, Shape out, Tensor c, float scale) {
        int[] ci = broadcastIndex(c.shape(), out);
        float[] cf = c.floats();
        for (int i = 0; i < y.length; i++) {
            y[i] += scale * cf[ci[i]];
        }
    }

    /** For each element of {@code out}, the flat index of the element of {@code in} it reads. */
    static int[] broadcastIndex(Shape in, Shape out) {
        return Broadcast.index(in, out);
    }

    static Tensor[] relu(Node node, Tensor[] in, KernelContext ctx) {
        return clamp(in[0], 0f, Float.POSITIVE_INFINITY);
    }

    static Tensor[] clip(Node node, Tensor[] in, KernelContext ctx) {
        float lo = in.length > 1 && in[1] != null ? in[1].getFloat(0) : Float.NEGATIVE_INFINITY;
        float hi = in.length > 2 && in[2] != null ? in[2].getFloat(0) : Float.POSITIVE_INFINITY;
        return clamp(in[0], lo, hi);
    }

    private static Tensor[] clamp(Tensor x, float lo, float hi) {
        float[] xf = x.floats();
        float[] y = new float[xf.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.min(Math.max(xf[i], lo), hi);
        }
        return new Tensor[] {Tensor.ofFloats(x.shape(), y)};
    }

    static Tensor[] batchNorm(Node node, Tensor[] in, KernelContext ctx) {
        BatchNormNode bn = (BatchNormNode) node;
        Tensor x = in[0];
        int batch = x.shape().dim(0);
        int channels = x.shape().dim(1);
        int inner = x.shape().product(2, x.shape().rank());
        float[] mul = new float[channels];
        float[] add = new float[channels];
        for (int c = 0; c < channels; c++) {
            double s = in[1].getFloat(c) / Math.sqrt(in[4].getFloat(c) + (double) bn.epsilon());
            mul[c] = (float) s;
            add[c] = (float) (in[2].getFloat(c) - in[3].getFloat(c) * s);
        }
        float[] xf = x.floats();
        float[] y = new float[xf.length];
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                int off = (n * channels + c) * inner;
                for (int i = 0; i < inner; i++) {
                    y[off + i] = xf[off + i] * mul[c] + add[c];
                }
            }
        }
        return new Tensor[] {Tensor.ofFloats(x.shape(), y)};
    }
}

package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.AvgPool2dNode;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.Window2d;

/** fp32 max, average and global average pooling over NCHW. */
final class PoolKernels {
    private PoolKernels() {}

    static Tensor[] maxPool(Node node, Tensor[] in, KernelContext ctx) {
        MaxPool2dNode p = (MaxPool2dNode) node;
        return pool(in[0], p.window(), p.ceilMode(), true, false);
    }

    static Tensor[] avgPool(Node node, Tensor[] in, KernelContext ctx) {
        AvgPool2dNode p = (AvgPool2dNode) node;
        return pool(in[0], p.window(), p.ceilMode(), false, p.countIncludePad());
    }

    private static Tensor[] pool(Tensor x, Window2d win, boolean ceil, boolean max, boolean countPad) {
        PoolGeometry geo = PoolGeometry.of(x.shape(), win, ceil);
        float[] xf = x.floats();
        float[] y = new float[geo.outSize(x.shape())];
        geo.forEachWindow(x.shape(), (dst, base, o) -> {
            float acc = max ? Float.NEGATIVE_INFINITY : 0f;
            for (int off : geo.offsets[o]) {
                acc = max ? Math.max(acc, xf[base + off]) : acc + xf[base + off];
            }
            y[dst] = max ? acc : acc / geo.divisor(o, countPad);
        });
        return new Tensor[] {Tensor.ofFloats(geo.outShape(x.shape()), y)};
    }

    static Tensor[] globalAvgPool(Node node, Tensor[] in, KernelContext ctx) {
        Shape s = in[0].shape();
        int planes = s.dim(0) * s.dim(1);
        int size = s.dim(2) * s.dim(3);
        float[] xf = in[0].floats();
        float[] y = new float[planes];
        for (int p = 0; p < planes; p++) {
            double sum = 0;
            for (int i = 0; i < size; i++) {
                sum += xf[p * size + i];
            }
            y[p] = (float) (sum / size);
        }
        return new Tensor[] {Tensor.ofFloats(Shape.of(s.dim(0), s.dim(1), 1, 1), y)};
    }
}

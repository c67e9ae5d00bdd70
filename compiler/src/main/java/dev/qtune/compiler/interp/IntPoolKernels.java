package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.AvgPool2dNode;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.Window2d;

/**
 * Integer pools: max over the window; averages as rounded integer division (ties away from zero)
 * of the sum of (q - zero point), the zero point added back.
 */
final class IntPoolKernels {
    private IntPoolKernels() {}

    /** round(sum / count) with ties away from zero, exactly. */
    static int roundedDivide(long sum, int count) {
        long q = (2 * Math.abs(sum) + count) / (2L * count);
        return (int) (sum < 0 ? -q : q);
    }

    static Tensor[] maxPool(Node node, Tensor[] in, KernelContext ctx) {
        MaxPool2dNode p = (MaxPool2dNode) node;
        return pool(in[0], p.window(), p.ceilMode(), true, false, 0);
    }

    static Tensor[] avgPool(Node node, Tensor[] in, KernelContext ctx) {
        AvgPool2dNode p = (AvgPool2dNode) node;
        return pool(in[0], p.window(), p.ceilMode(), false, p.countIncludePad(), p.zeroPoint());
    }

    private static Tensor[] pool(Tensor x, Window2d win, boolean ceil, boolean max, boolean countPad, int z) {
        PoolGeometry geo = PoolGeometry.of(x.shape(), win, ceil);
        int[] xs = x.ints();
        int[] y = new int[geo.outSize(x.shape())];
        geo.forEachWindow(x.shape(), (dst, base, o) -> {
            long acc = max ? Long.MIN_VALUE : 0;
            for (int off : geo.offsets[o]) {
                acc = max ? Math.max(acc, xs[base + off]) : acc + xs[base + off] - z;
            }
            y[dst] = max ? (int) acc : z + roundedDivide(acc, geo.divisor(o, countPad));
        });
        return new Tensor[] {Tensor.ofInts(x.dtype(), geo.outShape(x.shape()), y)};
    }

    static Tensor[] globalAvgPool(Node node, Tensor[] in, KernelContext ctx) {
        Shape s = in[0].shape();
        int planes = s.dim(0) * s.dim(1);
        int size = s.dim(2) * s.dim(3);
        int[] x = in[0].ints();
        int z = ((GlobalAvgPoolNode) node).zeroPoint();
        int[] y = new int[planes];
        for (int p = 0; p < planes; p++) {
            long sum = 0;
            for (int i = 0; i < size; i++) {
                sum += x[p * size + i] - z;
            }
            y[p] = z + roundedDivide(sum, size);
        }
        return new Tensor[] {Tensor.ofInts(in[0].dtype(), Shape.of(s.dim(0), s.dim(1), 1, 1), y)};
    }
}

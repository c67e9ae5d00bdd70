package dev.qtune.targets.codegen;

import dev.qtune.compiler.ir.AvgPool2dNode;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Window2d;
import dev.qtune.compiler.lower.TensorStorage;

/** Max, average and global average pools, integer (NHWC) or fp32 (NCHW). */
final class PoolEmitter {
    private PoolEmitter() {}

    static String maxPool(Node node, EmitContext ctx) {
        MaxPool2dNode m = (MaxPool2dNode) node;
        if (Fp32FastEmitter.coversMaxPool(m, ctx)) {
            return Fp32FastEmitter.maxPool(m, ctx);
        }
        return pool(node, ((MaxPool2dNode) node).window(), true, false, 0, ctx);
    }

    static String avgPool(Node node, EmitContext ctx) {
        AvgPool2dNode p = (AvgPool2dNode) node;
        return pool(node, p.window(), false, p.countIncludePad(), p.zeroPoint(), ctx);
    }

    /** {@code z}: an integer average's zero point (0 for a max and for fp32). */
    private static String pool(Node n, Window2d w, boolean max, boolean countPad, int z, EmitContext ctx) {
        TensorStorage x = ctx.storage(n.inputs().get(0));
        TensorStorage y = ctx.storage(n.outputs().get(0));
        String window = windowArgs(w, max, countPad);
        if (x.isInteger()) {
            return String.format(
                    "    qt_pool_int(%s, %s, %s, %d, %d, %d, %d, %d, %s, %d);%n",
                    ctx.buffer(n.inputs().get(0)),
                    ctx.buffer(n.outputs().get(0)),
                    EmitContext.kind(x.dtype()),
                    x.height(),
                    x.width(),
                    x.paddedChannels(),
                    y.height(),
                    y.width(),
                    window,
                    z);
        }
        return String.format(
                "    qt_pool_f32(%s, %s, %d, %d, %d, %d, %d, %s);%n",
                ctx.floats(n.inputs().get(0)),
                ctx.floats(n.outputs().get(0)),
                x.shape().dim(0) * x.shape().dim(1),
                x.height(),
                x.width(),
                y.height(),
                y.width(),
                window);
    }

    /** The window's arguments of qt_pool_int and qt_pool_f32. */
    private static String windowArgs(Window2d w, boolean max, boolean countPad) {
        return String.format(
                "%d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d",
                w.kernelH(),
                w.kernelW(),
                w.strideH(),
                w.strideW(),
                w.padTop(),
                w.padLeft(),
                w.padBottom(),
                w.padRight(),
                w.dilationH(),
                w.dilationW(),
                max ? 1 : 0,
                countPad ? 1 : 0);
    }

    static String globalAvgPool(Node n, EmitContext ctx) {
        TensorStorage x = ctx.storage(n.inputs().get(0));
        if (x.isInteger()) {
            return String.format(
                    "    qt_global_avg_pool_int(%s, %s, %s, %d, %d, %d);%n",
                    ctx.buffer(n.inputs().get(0)),
                    ctx.buffer(n.outputs().get(0)),
                    EmitContext.kind(x.dtype()),
                    x.spatial(),
                    x.paddedChannels(),
                    ((GlobalAvgPoolNode) n).zeroPoint());
        }
        return String.format(
                "    qt_global_avg_pool_f32(%s, %s, %d, %d);%n",
                ctx.floats(n.inputs().get(0)),
                ctx.floats(n.outputs().get(0)),
                x.shape().dim(0) * x.shape().dim(1),
                x.spatial());
    }
}

package dev.qtune.targets.codegen;

import dev.qtune.compiler.ir.BinaryNode;
import dev.qtune.compiler.ir.ClipNode;
import dev.qtune.compiler.ir.ConcatNode;
import dev.qtune.compiler.ir.DequantizeNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QAddNode;
import dev.qtune.compiler.ir.QConcatNode;
import dev.qtune.compiler.ir.QuantizeNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.SoftmaxNode;
import dev.qtune.compiler.lower.LoweringException;
import dev.qtune.compiler.lower.TensorStorage;
import dev.qtune.compiler.quant.FixedPointMultiplier;

/** Boundaries (Quantize, Dequantize), integer Add and Concat, activations, fp32 element-wise ops, copies. */
final class ElementEmitter {
    private ElementEmitter() {}

    static String quantize(Node node, EmitContext ctx) {
        QuantizeNode q = (QuantizeNode) node;
        TensorStorage y = boundary(ctx, "quantize", q.output());
        return statement(
                "qt_quantize",
                ctx.floats(q.input()),
                integer(ctx, q.output()),
                layout(y),
                CArrays.literal(q.scale()),
                q.zeroPoint(),
                q.range().min(),
                q.range().max());
    }

    static String dequantize(Node node, EmitContext ctx) {
        DequantizeNode d = (DequantizeNode) node;
        TensorStorage x = boundary(ctx, "dequantize", d.input());
        return statement(
                "qt_dequantize",
                integer(ctx, d.input()),
                ctx.floats(d.output()),
                layout(x),
                CArrays.literal(d.scale()),
                d.zeroPoint());
    }

    /**
     * The integer side of a quantize or dequantize boundary; its speed key is the call, the integer
     * type and the layout (the scale and zero point are values).
     */
    private static TensorStorage boundary(EmitContext ctx, String call, String integerValue) {
        TensorStorage t = ctx.storage(integerValue);
        ctx.speed(call + " " + t.dtype() + " " + layout(t).replace(",", ""));
        return t;
    }

    /** An integer buffer and its kind, as C arguments. */
    private static String integer(EmitContext ctx, String value) {
        return ctx.buffer(value) + ", " + EmitContext.kind(ctx.storage(value).dtype());
    }

    /** One C statement: {@code function(args...);} on its own indented line. */
    private static String statement(String function, Object... args) {
        StringBuilder sb = new StringBuilder("    ").append(function).append('(');
        for (int i = 0; i < args.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(args[i]);
        }
        return sb.append(");").append(System.lineSeparator()).toString();
    }

    /** A value's channels, pixels per channel and padded channels, as C arguments. */
    private static String layout(TensorStorage t) {
        return t.channels() + ", " + t.spatial() + ", " + t.paddedChannels();
    }

    static String qadd(Node node, EmitContext ctx) {
        QAddNode a = (QAddNode) node;
        TensorStorage y = ctx.storage(a.output());
        TensorStorage x0 = ctx.storage(a.inputs().get(0));
        TensorStorage x1 = ctx.storage(a.inputs().get(1));
        if (!x0.shape().equals(x1.shape())) {
            throw new LoweringException("QAdd node '" + a.name()
                    + "' must add tensors of one shape for native code, but adds " + x0.shape() + " and " + x1.shape());
        }
        FixedPointMultiplier m0 = a.finer(0);
        FixedPointMultiplier m1 = a.finer(1);
        // its vectorised head depends on the kinds and the rounding only; the multipliers are values
        ctx.speed(String.format(
                "add %s %s %s %d %s",
                x0.dtype(),
                x1.dtype(),
                y.dtype(),
                (long) y.spatial() * y.paddedChannels(),
                a.requantize().rounding()));
        return String.format(
                "    qt_add(%s, %s, %s, %s, %s, %s, %d, %d, %d, %d, %d, %d, %s, %d, %d, %d, %d, %d);%n",
                ctx.buffer(a.inputs().get(0)),
                EmitContext.kind(x0.dtype()),
                ctx.buffer(a.inputs().get(1)),
                EmitContext.kind(x1.dtype()),
                ctx.buffer(a.output()),
                EmitContext.kind(y.dtype()),
                (long) y.spatial() * y.paddedChannels(),
                m0.mantissa(),
                m0.shift(),
                m1.mantissa(),
                m1.shift(),
                a.extraBits(),
                IntConvEmitter.rounding(a.requantize().rounding()),
                a.requantize().range().min(),
                a.requantize().range().max(),
                a.inputZeroPoints().get(0),
                a.inputZeroPoints().get(1),
                a.requantize().zeroPoint());
    }

    static String qconcat(Node node, EmitContext ctx) {
        QConcatNode c = (QConcatNode) node;
        TensorStorage y = ctx.storage(c.output());
        int axis = c.axis() < 0 ? c.axis() + y.shape().rank() : c.axis();
        if (axis != 1) {
            throw new LoweringException("QConcat node '" + c.name()
                    + "' must concatenate channels (axis 1) for native code, " + "but its axis is " + c.axis());
        }
        StringBuilder sb = new StringBuilder();
        int c0 = 0;
        for (int i = 0; i < c.inputs().size(); i++) {
            TensorStorage x = ctx.storage(c.inputs().get(i));
            FixedPointMultiplier m = c.requantize().multiplier(i);
            sb.append(String.format(
                    "    qt_concat_part(%s, %s, %d, %d, %s, %s, %d, %d, %d, %d, %d, %s, %d, %d, %d, %d);%n",
                    ctx.buffer(c.inputs().get(i)),
                    EmitContext.kind(x.dtype()),
                    x.channels(),
                    x.paddedChannels(),
                    ctx.buffer(c.output()),
                    EmitContext.kind(y.dtype()),
                    y.paddedChannels(),
                    c0,
                    y.spatial(),
                    m.mantissa(),
                    m.shift(),
                    IntConvEmitter.rounding(c.requantize().rounding()),
                    c.requantize().range().min(),
                    c.requantize().range().max(),
                    c.inputZeroPoint(i),
                    c.requantize().zeroPoint()));
            c0 += x.channels();
        }
        return sb.toString();
    }

    static String relu(Node n, EmitContext ctx) {
        TensorStorage x = ctx.storage(n.inputs().get(0));
        if (x.isInteger()) {
            return String.format(
                    "    qt_relu_int(%s, %s, %s, %d);%n",
                    ctx.buffer(n.inputs().get(0)),
                    ctx.buffer(n.outputs().get(0)),
                    EmitContext.kind(x.dtype()),
                    x.bytes() / TensorStorage.elementBytes(x.dtype()));
        }
        return clamp(n, "0.0f", "INFINITY", ctx);
    }

    static String clip(Node node, EmitContext ctx) {
        ClipNode c = (ClipNode) node;
        if (ctx.storage(c.inputs().get(0)).isInteger()) {
            throw new LoweringException("Clip node '" + c.name() + "' on an integer tensor has no native kernel "
                    + "(the quantizer fuses Clip into the producer's range)");
        }
        String lo = c.min()
                .map(v -> CArrays.literal(ctx.constant(c, v).getFloat(0)))
                .orElse("-INFINITY");
        String hi = c.max()
                .map(v -> CArrays.literal(ctx.constant(c, v).getFloat(0)))
                .orElse("INFINITY");
        return clamp(c, lo, hi, ctx);
    }

    private static String clamp(Node n, String lo, String hi, EmitContext ctx) {
        return String.format(
                "    qt_clamp_f32(%s, %s, %d, %s, %s);%n",
                ctx.floats(n.inputs().get(0)),
                ctx.floats(n.outputs().get(0)),
                ctx.storage(n.outputs().get(0)).shape().numel(),
                lo,
                hi);
    }

    static String softmax(Node node, EmitContext ctx) {
        SoftmaxNode s = (SoftmaxNode) node;
        Shape shape = ctx.storage(s.inputs().get(0)).shape();
        int axis = s.axis() < 0 ? s.axis() + shape.rank() : s.axis();
        return String.format(
                "    qt_softmax_f32(%s, %s, %d, %d, %d);%n",
                ctx.floats(s.inputs().get(0)),
                ctx.floats(s.output()),
                shape.product(0, axis),
                shape.dim(axis),
                shape.product(axis + 1, shape.rank()));
    }

    /** A Flatten or Reshape of a multi-pixel integer tensor: channels-last to the flat (NCHW) order. */
    static String reshapeCopy(Node n, EmitContext ctx) {
        TensorStorage x = ctx.storage(n.inputs().get(0));
        TensorStorage y = ctx.storage(n.outputs().get(0));
        if (!x.isInteger()
                || y.shape().rank() != 2
                || y.shape().dim(1) != x.shape().numel()) {
            throw new LoweringException(n.opType() + " node '" + n.name() + "' must flatten an integer tensor to [1, "
                    + x.shape().numel() + "] for native code, but gives " + y.shape());
        }
        return String.format(
                "    qt_flatten_int(%s, %s, %s, %d, %d, %d);%n",
                ctx.buffer(n.inputs().get(0)),
                ctx.buffer(n.outputs().get(0)),
                EmitContext.kind(x.dtype()),
                x.channels(),
                x.spatial(),
                x.paddedChannels());
    }

    static String binary(Node node, EmitContext ctx) {
        return Fp32Emitter.binary((BinaryNode) node, ctx);
    }

    static String concat(Node node, EmitContext ctx) {
        return Fp32Emitter.concat((ConcatNode) node, ctx);
    }
}

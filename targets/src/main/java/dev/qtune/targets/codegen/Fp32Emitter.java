package dev.qtune.targets.codegen;

import dev.qtune.compiler.ir.BinaryNode;
import dev.qtune.compiler.ir.ConcatNode;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.MatMulNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.Window2d;
import dev.qtune.compiler.lower.LoweringException;
import dev.qtune.compiler.lower.TensorStorage;
import dev.qtune.compiler.pass.Broadcast;

/** fp32 layers that a config leaves unquantized: Conv, Gemm, MatMul, broadcast arithmetic, Concat. */
final class Fp32Emitter {
    private Fp32Emitter() {}

    static String conv(Node node, EmitContext ctx) {
        Conv2dNode c = (Conv2dNode) node;
        if (Fp32FastEmitter.covers(c, ctx)) {
            return Fp32FastEmitter.conv(c, ctx);
        }
        TensorStorage x = ctx.storage(c.inputs().get(0));
        TensorStorage y = ctx.storage(c.output());
        Tensor w = ctx.constant(c, c.inputs().get(1));
        String bias = c.inputs().size() > 2 && !c.inputs().get(2).isEmpty()
                ? ctx.declare(ctx.constant(c, c.inputs().get(2)).floats())
                : "NULL";
        Window2d win = c.window();
        int kk = w.shape().dim(1) * win.kernelH() * win.kernelW();
        ctx.needColFloats((long) kk * y.spatial());
        return String.format(
                "    qt_conv_f32(%s, %d, %d, %d, %s, %s, %s, %d, %d, %d,%n"
                        + "            %d, %d, %d, %d, %d, %d, %d, %d, %d, qt_col);%n",
                ctx.floats(c.inputs().get(0)),
                x.channels(),
                x.height(),
                x.width(),
                ctx.declare(w.floats()),
                bias,
                ctx.floats(c.output()),
                y.channels(),
                y.height(),
                y.width(),
                win.kernelH(),
                win.kernelW(),
                win.strideH(),
                win.strideW(),
                win.padTop(),
                win.padLeft(),
                win.dilationH(),
                win.dilationW(),
                c.group());
    }

    static String gemm(Node node, EmitContext ctx) {
        GemmNode g = (GemmNode) node;
        if (g.transA()) {
            throw new LoweringException("Gemm node '" + g.name() + "' with transA has no native kernel");
        }
        Tensor b = ctx.constant(g, g.inputs().get(1));
        int k = b.shape().dim(g.transB() ? 1 : 0);
        int n = b.shape().dim(g.transB() ? 0 : 1);
        float[] rows = g.transB() ? transpose(b.floats(), n, k) : b.floats();
        Shape out = ctx.storage(g.output()).shape();
        String bias = "NULL";
        String index = "NULL";
        if (g.inputs().size() > 2 && !g.inputs().get(2).isEmpty() && g.beta() != 0f) {
            Tensor c = ctx.constant(g, g.inputs().get(2));
            bias = ctx.declare(c.floats());
            index = ctx.declare("int32_t", Broadcast.index(c.shape(), out));
        }
        return gemmCall(
                ctx,
                ctx.floats(g.inputs().get(0)),
                ctx.declare(rows),
                bias,
                index,
                ctx.floats(g.output()),
                out.dim(0),
                n,
                k,
                CArrays.literal(g.alpha()),
                CArrays.literal(g.beta()));
    }

    static String matmul(Node node, EmitContext ctx) {
        MatMulNode m = (MatMulNode) node;
        Tensor b = ctx.constant(m, m.inputs().get(1));
        Shape a = ctx.storage(m.inputs().get(0)).shape();
        int k = a.dim(a.rank() - 1);
        return gemmCall(
                ctx,
                ctx.floats(m.inputs().get(0)),
                ctx.declare(b.floats()),
                "NULL",
                "NULL",
                ctx.floats(m.output()),
                a.numel() / k,
                b.shape().dim(1),
                k,
                "1.0f",
                "0.0f");
    }

    /**
     * y = alpha * (a x b) + beta * bias: the FMA kernel on targets with the fast fp32 kernels
     * (within docs/codegen.md's tolerance), else the interpreter's order.
     */
    private static String gemmCall(
            EmitContext ctx,
            String a,
            String b,
            String bias,
            String index,
            String y,
            int m,
            int n,
            int k,
            String alpha,
            String beta) {
        String args =
                String.format("%s, %s, %s, %s, %s, %d, %d, %d, %s, %s", a, b, bias, index, y, m, n, k, alpha, beta);
        return ctx.fastFp32
                ? String.format("    qt_gemm_f32_fast(%s, %d);%n", args, Fp32FastEmitter.GEMM_NV)
                : String.format("    qt_gemm_f32(%s);%n", args);
    }

    static String binary(BinaryNode b, EmitContext ctx) {
        Shape out = ctx.storage(b.output()).shape();
        String op = switch (b.op()) {
            case ADD -> "+";
            case SUB -> "-";
            case MUL -> "*";
            case DIV -> "/";
        };
        return String.format(
                "    for (size_t i = 0; i < %d; i++) {%n        %s[i] = %s %s %s;%n    }%n",
                out.numel(), ctx.floats(b.output()), operand(b, 0, out, ctx), op, operand(b, 1, out, ctx));
    }

    /** One operand of a broadcast binary op, as a C expression in the loop index i. */
    private static String operand(BinaryNode b, int i, Shape out, EmitContext ctx) {
        String v = b.inputs().get(i);
        Shape s = ctx.graph.type(v).shape().bind(1);
        String base =
                ctx.graph.isInitializer(v) ? ctx.declare(ctx.constant(b, v).floats()) : ctx.floats(v);
        if (s.numel() == 1) {
            return base + "[0]";
        }
        if (s.equals(out)) {
            return base + "[i]";
        }
        return base + "[" + ctx.declare("int32_t", Broadcast.index(s, out)) + "[i]]";
    }

    static String concat(ConcatNode c, EmitContext ctx) {
        Shape out = ctx.storage(c.output()).shape();
        int axis = c.axis() < 0 ? c.axis() + out.rank() : c.axis();
        int outer = out.product(0, axis);
        int inner = out.product(axis + 1, out.rank());
        StringBuilder sb = new StringBuilder();
        int at = 0;
        for (String in : c.inputs()) {
            Shape s = ctx.storage(in).shape();
            int chunk = s.dim(axis) * inner;
            sb.append(String.format(
                    "    for (int o = 0; o < %d; o++) {%n        memcpy(%s + (size_t) o * %d + %d, %s + (size_t) o * %d, %d);%n    }%n",
                    outer, ctx.floats(c.output()), out.dim(axis) * inner, at, ctx.floats(in), chunk, 4 * chunk));
            at += chunk;
        }
        return sb.toString();
    }

    private static float[] transpose(float[] src, int rows, int cols) {
        float[] t = new float[src.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = src[r * cols + c];
            }
        }
        return t;
    }
}

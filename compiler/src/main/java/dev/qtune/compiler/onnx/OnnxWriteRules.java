package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.AvgPool2dNode;
import dev.qtune.compiler.ir.BatchNormNode;
import dev.qtune.compiler.ir.BinaryNode;
import dev.qtune.compiler.ir.ClipNode;
import dev.qtune.compiler.ir.ConcatNode;
import dev.qtune.compiler.ir.ConstantNode;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.DropoutNode;
import dev.qtune.compiler.ir.FlattenNode;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.IdentityNode;
import dev.qtune.compiler.ir.MatMulNode;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.ReshapeNode;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.ir.SoftmaxNode;
import dev.qtune.compiler.ir.Window2d;
import dev.qtune.compiler.onnx.proto.OnnxSubset.AttributeProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The table of IR nodes {@link OnnxWriter} writes, each with its writer to opset-13 ONNX nodes:
 * the fp32 ops the importer reads, and SimQuantize as QuantizeLinear/DequantizeLinear
 * ({@link QdqNodeWriter}). Integer ops of a realized graph have no rule: export the simulated graph.
 */
final class OnnxWriteRules {
    private static final Map<Class<? extends Node>, OnnxNodeWriter> RULES = Map.ofEntries(
            Map.entry(Conv2dNode.class, (n, c) -> {
                Conv2dNode v = (Conv2dNode) n;
                List<AttributeProto> a = window(v.window(), true);
                a.add(OnnxAttrs.i("group", v.group()));
                c.emit(n, "Conv", a.toArray(AttributeProto[]::new));
            }),
            Map.entry(GemmNode.class, (n, c) -> {
                GemmNode v = (GemmNode) n;
                c.emit(
                        n,
                        "Gemm",
                        OnnxAttrs.f("alpha", v.alpha()),
                        OnnxAttrs.f("beta", v.beta()),
                        OnnxAttrs.i("transA", v.transA() ? 1 : 0),
                        OnnxAttrs.i("transB", v.transB() ? 1 : 0));
            }),
            Map.entry(MatMulNode.class, (n, c) -> c.emit(n, "MatMul")),
            Map.entry(
                    BinaryNode.class, (n, c) -> c.emit(n, ((BinaryNode) n).op().onnxName())),
            Map.entry(ReluNode.class, (n, c) -> c.emit(n, "Relu")),
            Map.entry(ClipNode.class, (n, c) -> c.emit(n, "Clip")),
            Map.entry(IdentityNode.class, (n, c) -> c.emit(n, "Identity")),
            Map.entry(DropoutNode.class, (n, c) -> c.emit(n, "Dropout")),
            Map.entry(GlobalAvgPoolNode.class, (n, c) -> c.emit(n, "GlobalAveragePool")),
            Map.entry(MaxPool2dNode.class, (n, c) -> {
                MaxPool2dNode v = (MaxPool2dNode) n;
                List<AttributeProto> a = window(v.window(), true);
                a.add(OnnxAttrs.i("ceil_mode", v.ceilMode() ? 1 : 0));
                c.emit(n, "MaxPool", a.toArray(AttributeProto[]::new));
            }),
            Map.entry(AvgPool2dNode.class, (n, c) -> {
                AvgPool2dNode v = (AvgPool2dNode) n;
                List<AttributeProto> a = window(v.window(), false);
                a.add(OnnxAttrs.i("ceil_mode", v.ceilMode() ? 1 : 0));
                a.add(OnnxAttrs.i("count_include_pad", v.countIncludePad() ? 1 : 0));
                c.emit(n, "AveragePool", a.toArray(AttributeProto[]::new));
            }),
            Map.entry(
                    BatchNormNode.class,
                    (n, c) -> c.emit(n, "BatchNormalization", OnnxAttrs.f("epsilon", ((BatchNormNode) n).epsilon()))),
            Map.entry(FlattenNode.class, (n, c) -> c.emit(n, "Flatten", OnnxAttrs.i("axis", ((FlattenNode) n).axis()))),
            Map.entry(ReshapeNode.class, (n, c) -> {
                if (((ReshapeNode) n).allowZero()) {
                    throw c.error(n, "has allowzero=1, which needs opset 14; qtune writes opset " + OnnxWriter.OPSET);
                }
                c.emit(n, "Reshape");
            }),
            Map.entry(ConcatNode.class, (n, c) -> c.emit(n, "Concat", OnnxAttrs.i("axis", ((ConcatNode) n).axis()))),
            Map.entry(SoftmaxNode.class, (n, c) -> c.emit(n, "Softmax", OnnxAttrs.i("axis", ((SoftmaxNode) n).axis()))),
            Map.entry(
                    ConstantNode.class,
                    (n, c) -> c.emit(
                            n,
                            "Constant",
                            OnnxAttrs.tensor("value", OnnxTensors.toProto("", ((ConstantNode) n).value())))),
            Map.entry(SimQuantizeNode.class, QdqNodeWriter::write));

    private OnnxWriteRules() {}

    static Optional<OnnxNodeWriter> rule(Node n) {
        return Optional.ofNullable(RULES.get(n.getClass()));
    }

    static Set<String> supportedOps() {
        Set<String> ops = new TreeSet<>();
        RULES.keySet().forEach(k -> ops.add(k.getSimpleName().replaceFirst("Node$", "")));
        return ops;
    }

    /** kernel_shape, strides, pads (top, left, bottom, right) and, where the op has them, dilations. */
    private static List<AttributeProto> window(Window2d w, boolean dilations) {
        List<AttributeProto> a = new ArrayList<>();
        a.add(OnnxAttrs.ints("kernel_shape", w.kernelH(), w.kernelW()));
        a.add(OnnxAttrs.ints("strides", w.strideH(), w.strideW()));
        a.add(OnnxAttrs.ints("pads", w.padTop(), w.padLeft(), w.padBottom(), w.padRight()));
        if (dilations) {
            a.add(OnnxAttrs.ints("dilations", w.dilationH(), w.dilationW()));
        }
        return a;
    }
}

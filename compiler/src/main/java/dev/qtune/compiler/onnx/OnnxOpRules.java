package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.AvgPool2dNode;
import dev.qtune.compiler.ir.BatchNormNode;
import dev.qtune.compiler.ir.BinaryNode;
import dev.qtune.compiler.ir.BinaryOp;
import dev.qtune.compiler.ir.ClipNode;
import dev.qtune.compiler.ir.ConcatNode;
import dev.qtune.compiler.ir.ConstantNode;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.DropoutNode;
import dev.qtune.compiler.ir.FlattenNode;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.IdentityNode;
import dev.qtune.compiler.ir.MatMulNode;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.ReshapeNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.SoftmaxNode;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.Window2d;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The table of ONNX op types qtune imports, each with its converter to an IR node. */
final class OnnxOpRules {
    private static final Map<String, OnnxNodeConverter> RULES = Map.ofEntries(
            Map.entry("Conv", OnnxOpRules::conv),
            Map.entry("Gemm", OnnxOpRules::gemm),
            Map.entry("MatMul", (n, c) -> new MatMulNode(c.nodeName(), n.getInputList(), c.singleOutput(n))),
            Map.entry("Add", (n, c) -> binary(n, c, BinaryOp.ADD)),
            Map.entry("Sub", (n, c) -> binary(n, c, BinaryOp.SUB)),
            Map.entry("Mul", (n, c) -> binary(n, c, BinaryOp.MUL)),
            Map.entry("Div", (n, c) -> binary(n, c, BinaryOp.DIV)),
            Map.entry("Relu", (n, c) -> new ReluNode(c.nodeName(), n.getInputList(), c.singleOutput(n))),
            Map.entry("Clip", (n, c) -> new ClipNode(c.nodeName(), n.getInputList(), c.singleOutput(n))),
            Map.entry("MaxPool", OnnxOpRules::maxPool),
            Map.entry("AveragePool", OnnxOpRules::avgPool),
            Map.entry(
                    "GlobalAveragePool",
                    (n, c) -> new GlobalAvgPoolNode(c.nodeName(), n.getInputList(), c.singleOutput(n))),
            Map.entry("BatchNormalization", OnnxOpRules::batchNorm),
            Map.entry(
                    "Flatten",
                    (n, c) -> new FlattenNode(c.nodeName(), n.getInputList(), c.singleOutput(n), (int)
                            c.attributes().getInt("axis", 1))),
            Map.entry(
                    "Reshape",
                    (n, c) -> new ReshapeNode(
                            c.nodeName(),
                            n.getInputList(),
                            c.singleOutput(n),
                            c.attributes().getInt("allowzero", 0) != 0)),
            Map.entry("Concat", OnnxOpRules::concat),
            Map.entry("Softmax", OnnxOpRules::softmax),
            Map.entry("Identity", (n, c) -> new IdentityNode(c.nodeName(), n.getInputList(), c.singleOutput(n))),
            Map.entry("Dropout", (n, c) -> new DropoutNode(c.nodeName(), n.getInputList(), n.getOutputList())),
            Map.entry("Constant", OnnxOpRules::constant));

    private OnnxOpRules() {}

    static Optional<OnnxNodeConverter> rule(String opType) {
        return Optional.ofNullable(RULES.get(opType));
    }

    static Set<String> supportedOps() {
        return new TreeSet<>(RULES.keySet());
    }

    private static BinaryNode binary(NodeProto n, ImportContext c, BinaryOp op) {
        return new BinaryNode(c.nodeName(), op, n.getInputList(), c.singleOutput(n));
    }

    private static Conv2dNode conv(NodeProto n, ImportContext c) {
        Window2d w = window(c, true);
        return new Conv2dNode(c.nodeName(), n.getInputList(), c.singleOutput(n), w, (int)
                c.attributes().getInt("group", 1));
    }

    private static GemmNode gemm(NodeProto n, ImportContext c) {
        OnnxAttributes a = c.attributes();
        return new GemmNode(
                c.nodeName(),
                n.getInputList(),
                c.singleOutput(n),
                a.getFloat("alpha", 1f),
                a.getFloat("beta", 1f),
                a.getInt("transA", 0) != 0,
                a.getInt("transB", 0) != 0);
    }

    private static MaxPool2dNode maxPool(NodeProto n, ImportContext c) {
        c.attributes().requireIntOrAbsent("storage_order", 0);
        return new MaxPool2dNode(
                c.nodeName(),
                n.getInputList(),
                c.singleOutput(n),
                window(c, false),
                c.attributes().getInt("ceil_mode", 0) != 0);
    }

    private static AvgPool2dNode avgPool(NodeProto n, ImportContext c) {
        return new AvgPool2dNode(
                c.nodeName(),
                n.getInputList(),
                c.singleOutput(n),
                window(c, false),
                c.attributes().getInt("ceil_mode", 0) != 0,
                c.attributes().getInt("count_include_pad", 0) != 0);
    }

    private static BatchNormNode batchNorm(NodeProto n, ImportContext c) {
        c.attributes().requireIntOrAbsent("training_mode", 0);
        return new BatchNormNode(
                c.nodeName(),
                n.getInputList(),
                c.singleOutput(n),
                c.attributes().getFloat("epsilon", 1e-5f));
    }

    private static ConcatNode concat(NodeProto n, ImportContext c) {
        if (!c.attributes().has("axis")) {
            throw c.error("attribute 'axis' is required");
        }
        return new ConcatNode(c.nodeName(), n.getInputList(), c.singleOutput(n), (int)
                c.attributes().getInt("axis", 0));
    }

    private static SoftmaxNode softmax(NodeProto n, ImportContext c) {
        // Before opset 13 Softmax flattened to 2-D at 'axis' (default 1); InferTypes accepts that
        // form only where it equals the opset-13 one (axis is the last axis).
        long axis = c.attributes().getInt("axis", c.opset() >= 13 ? -1 : 1);
        return new SoftmaxNode(c.nodeName(), n.getInputList(), c.singleOutput(n), (int) axis);
    }

    private static ConstantNode constant(NodeProto n, ImportContext c) {
        OnnxAttributes a = c.attributes();
        Tensor value;
        if (a.getTensor("value").isPresent()) {
            value = OnnxTensors.toTensor(a.getTensor("value").get(), c.where());
        } else if (a.has("value_float")) {
            value = Tensor.scalar(a.getFloat("value_float", 0f));
        } else if (a.getFloats("value_floats").isPresent()) {
            float[] f = a.getFloats("value_floats").get();
            value = Tensor.ofFloats(Shape.of(f.length), f);
        } else if (a.has("value_int")) {
            value = Tensor.ofInts(DType.I64, Shape.of(), new int[] {(int) a.getInt("value_int", 0)});
        } else if (a.getInts("value_ints").isPresent()) {
            long[] l = a.getInts("value_ints").get();
            int[] v = new int[l.length];
            for (int i = 0; i < l.length; i++) {
                v[i] = (int) l[i];
            }
            value = Tensor.ofInts(DType.I64, Shape.of(v.length), v);
        } else {
            throw c.error("must have one of the attributes value, value_float, value_floats, value_int, value_ints");
        }
        return new ConstantNode(c.nodeName(), value, c.singleOutput(n));
    }

    /** Kernel, strides, pads and dilations of a 2-D conv or pool. */
    private static Window2d window(ImportContext c, boolean kernelFromWeights) {
        OnnxAttributes a = c.attributes();
        String autoPad = a.getString("auto_pad", "NOTSET");
        if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
            throw c.error(
                    "attribute 'auto_pad' must be NOTSET or VALID (qtune needs explicit pads), but was " + autoPad);
        }
        long[] k = a.getInts("kernel_shape").orElse(null);
        if (k == null) {
            throw c.error("attribute 'kernel_shape' is required by qtune"
                    + (kernelFromWeights ? " (it is optional in ONNX; re-export with it)" : ""));
        }
        if (k.length != 2) {
            throw c.error("only 2-D windows are supported, but kernel_shape has " + k.length + " dimensions");
        }
        long[] s = ints(c, "strides", 2, 1);
        long[] p = ints(c, "pads", 4, 0);
        long[] d = ints(c, "dilations", 2, 1);
        return new Window2d(
                (int) k[0],
                (int) k[1],
                (int) s[0],
                (int) s[1],
                (int) p[0],
                (int) p[1],
                (int) p[2],
                (int) p[3],
                (int) d[0],
                (int) d[1]);
    }

    private static long[] ints(ImportContext c, String name, int length, long fill) {
        long[] v = c.attributes().getInts(name).orElse(null);
        if (v == null) {
            long[] out = new long[length];
            Arrays.fill(out, fill);
            return out;
        }
        if (v.length != length) {
            throw c.error("attribute '" + name + "' must have " + length + " values, but has " + v.length + " ("
                    + Arrays.toString(v) + ")");
        }
        return v;
    }
}

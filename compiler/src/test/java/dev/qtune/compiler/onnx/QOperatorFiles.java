package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.AttributeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.OperatorSetIdProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorProto;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rewrites one of qtune's QDQ exports into the equivalent file with quantized operators, the way
 * ONNX Runtime's QOperator format writes one, for tests that import both and compare:
 * {@link #qlinear} turns each DequantizeLinear -> Conv (-> Relu) -> QuantizeLinear into
 * QLinearConv (the Relu is the uint8 output's clamp at 0), a transB Gemm into QGemm (without a
 * bias into QLinearMatMul, weights transposed), Add into QLinearAdd, GlobalAveragePool into
 * QLinearGlobalAveragePool, and MaxPool, Flatten, Reshape between points with one scale into the op
 * on integers; {@link #integerOps} turns each Conv and transB Gemm into ConvInteger / MatMulInteger
 * -> Cast -> Mul(s_x * s_w) -> Add(bias), before the file's QuantizeLinear.
 */
final class QOperatorFiles {
    private final GraphProto g;
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Map<String, List<NodeProto>> readers = new HashMap<>();
    private final Map<String, TensorProto> initializers = new HashMap<>();
    private final Map<NodeProto, List<NodeProto>> replaced = new IdentityHashMap<>();
    private final Set<NodeProto> dropped = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<TensorProto> added = new ArrayList<>();

    private QOperatorFiles(GraphProto g) {
        this.g = g;
        for (NodeProto n : g.getNodeList()) {
            n.getInputList()
                    .forEach(v ->
                            readers.computeIfAbsent(v, k -> new ArrayList<>()).add(n));
            n.getOutputList().forEach(v -> producers.put(v, n));
        }
        g.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
    }

    /** The QOperator form of {@code qdq}: QLinear ops, integer pools and reshapes, as ONNX Runtime writes them. */
    static ModelProto qlinear(ModelProto qdq) {
        QOperatorFiles f = new QOperatorFiles(qdq.getGraph());
        for (NodeProto n : qdq.getGraph().getNodeList()) {
            switch (n.getOpType()) {
                case "Conv" -> f.qlinearLayer(n);
                case "Gemm" -> f.qlinearMatMul(n);
                case "Add" -> f.qlinearOp(n, "QLinearAdd", true);
                case "GlobalAveragePool" -> f.qlinearOp(n, "QLinearGlobalAveragePool", false);
                case "MaxPool", "Flatten", "Reshape" -> f.integerPassThrough(n);
                default -> {}
            }
        }
        return f.result(qdq);
    }

    /** {@code qdq} with ConvInteger and MatMulInteger layers in the static pattern (Cast, Mul by s_x * s_w, Add bias). */
    static ModelProto integerOps(ModelProto qdq) {
        QOperatorFiles f = new QOperatorFiles(qdq.getGraph());
        for (NodeProto n : qdq.getGraph().getNodeList()) {
            if (n.getOpType().equals("Conv") || n.getOpType().equals("Gemm")) {
                f.integerLayer(n);
            }
        }
        return f.result(qdq);
    }

    /** {@code qdq} without the biases of its Gemm layers (QLinearMatMul has none). */
    static ModelProto withoutGemmBiases(ModelProto qdq) {
        GraphProto.Builder b = qdq.getGraph().toBuilder().clearNode();
        for (NodeProto n : qdq.getGraph().getNodeList()) {
            boolean biasOfGemm = n.getOpType().equals(QuantizedOps.DEQUANTIZE)
                    && qdq.getGraph().getNodeList().stream()
                            .anyMatch(r -> r.getOpType().equals("Gemm")
                                    && r.getInputCount() > 2
                                    && r.getInput(2).equals(n.getOutput(0)));
            if (n.getOpType().equals("Gemm")) {
                b.addNode(
                        n.toBuilder().clearInput().addAllInput(n.getInputList().subList(0, 2)));
            } else if (!biasOfGemm) {
                b.addNode(n);
            }
        }
        return qdq.toBuilder().setGraph(b).build();
    }

    /** Conv with QDQ input, weight and bias and a point after it (through a Relu into uint8) -> QLinearConv. */
    private void qlinearLayer(NodeProto conv) {
        Optional<NodeProto> x = activation(conv.getInput(0));
        Optional<NodeProto> point = outputPoint(conv);
        if (x.isEmpty() || point.isEmpty() || conv.getInputCount() < 3) {
            return;
        }
        NodeProto w = producers.get(conv.getInput(1));
        NodeProto b = producers.get(conv.getInput(2));
        dropped.addAll(List.of(w, b));
        replace(
                conv,
                point.get(),
                OnnxModels.node(
                        "QLinearConv",
                        conv.getName(),
                        List.of(
                                x.get().getInput(0),
                                x.get().getInput(1),
                                x.get().getInput(2),
                                w.getInput(0),
                                w.getInput(1),
                                w.getInput(2),
                                point.get().getInput(1),
                                point.get().getInput(2),
                                b.getInput(0)),
                        point.get().getOutputList(),
                        conv.getAttributeList().toArray(AttributeProto[]::new)));
    }

    /**
     * Gemm (transB) with QDQ input, weight (and bias) and a point after it -> ONNX Runtime's QGemm,
     * or without a bias QLinearMatMul of the transposed weight.
     */
    private void qlinearMatMul(NodeProto gemm) {
        Optional<NodeProto> x = activation(gemm.getInput(0));
        Optional<NodeProto> point = outputPoint(gemm);
        if (x.isEmpty() || point.isEmpty() || transB(gemm) != 1) {
            return;
        }
        NodeProto w = producers.get(gemm.getInput(1));
        dropped.add(w);
        List<String> a = x.get().getInputList();
        List<String> y = point.get().getInputList().subList(1, 3);
        if (gemm.getInputCount() > 2) {
            NodeProto b = producers.get(gemm.getInput(2));
            dropped.add(b);
            replace(
                    gemm,
                    point.get(),
                    OnnxModels.node(
                                    "QGemm",
                                    gemm.getName(),
                                    List.of(
                                            a.get(0),
                                            a.get(1),
                                            a.get(2),
                                            w.getInput(0),
                                            w.getInput(1),
                                            w.getInput(2),
                                            b.getInput(0),
                                            y.get(0),
                                            y.get(1)),
                                    point.get().getOutputList(),
                                    OnnxModels.intAttr("transB", 1))
                            .toBuilder()
                            .setDomain("com.microsoft")
                            .build());
            return;
        }
        replace(
                gemm,
                point.get(),
                OnnxModels.node(
                        "QLinearMatMul",
                        gemm.getName(),
                        List.of(
                                a.get(0),
                                a.get(1),
                                a.get(2),
                                transposed(w.getInput(0)),
                                w.getInput(1),
                                w.getInput(2),
                                y.get(0),
                                y.get(1)),
                        point.get().getOutputList()));
    }

    /** Add or GlobalAveragePool of QDQ inputs with a point after it -> ONNX Runtime's com.microsoft QLinear op. */
    private void qlinearOp(NodeProto n, String op, boolean add) {
        List<String> inputs = new ArrayList<>();
        for (String v : n.getInputList()) {
            Optional<NodeProto> x = activation(v);
            if (x.isEmpty()) {
                return;
            }
            inputs.addAll(x.get().getInputList());
        }
        Optional<NodeProto> point = outputPoint(n);
        if (point.isEmpty()) {
            return;
        }
        inputs.addAll(point.get().getInputList().subList(1, 3));
        NodeProto q = OnnxModels.node(
                op,
                n.getName(),
                inputs,
                point.get().getOutputList(),
                add ? new AttributeProto[0] : new AttributeProto[] {OnnxModels.intAttr("channels_last", 0)});
        replace(n, point.get(), q.toBuilder().setDomain("com.microsoft").build());
    }

    /** MaxPool, Flatten, Reshape between points of equal parameters -> the op on the integers. */
    private void integerPassThrough(NodeProto n) {
        Optional<NodeProto> x = activation(n.getInput(0));
        List<NodeProto> rs = readers.getOrDefault(n.getOutput(0), List.of());
        if (x.isEmpty()
                || rs.size() != 1
                || !rs.get(0).getOpType().equals(QuantizedOps.QUANTIZE)
                || !value(rs.get(0).getInput(1)).equals(value(x.get().getInput(1)))
                || !value(rs.get(0).getInput(2)).equals(value(x.get().getInput(2)))) {
            return;
        }
        List<String> inputs = new ArrayList<>(n.getInputList());
        inputs.set(0, x.get().getInput(0));
        replace(
                n,
                rs.get(0),
                n.toBuilder()
                        .clearInput()
                        .addAllInput(inputs)
                        .clearOutput()
                        .addAllOutput(rs.get(0).getOutputList())
                        .build());
    }

    /** Conv or transB Gemm with QDQ input, weight and bias -> ConvInteger/MatMulInteger -> Cast -> Mul -> Add. */
    private void integerLayer(NodeProto layer) {
        Optional<NodeProto> x = activation(layer.getInput(0));
        boolean conv = layer.getOpType().equals("Conv");
        if (x.isEmpty() || layer.getInputCount() < 3 || !conv && transB(layer) != 1) {
            return;
        }
        NodeProto w = producers.get(layer.getInput(1));
        NodeProto b = producers.get(layer.getInput(2));
        dropped.addAll(List.of(w, b));
        float sx = value(x.get().getInput(1)).getFloat(0);
        Tensor ws = value(w.getInput(1));
        int channels = value(w.getInput(0)).shape().dim(0);
        Shape perChannel = conv ? Shape.of(1, channels, 1, 1) : Shape.of(channels);
        float[] c = new float[ws.numel() == 1 ? 1 : channels];
        float[] bias = new float[channels];
        Tensor bq = value(b.getInput(0));
        Tensor bs = value(b.getInput(1));
        for (int o = 0; o < channels; o++) {
            c[Math.min(o, c.length - 1)] = sx * ws.getFloat(ws.numel() == 1 ? 0 : o);
            bias[o] = bq.getFloat(o) * bs.getFloat(bs.numel() == 1 ? 0 : o);
        }
        String name = layer.getName();
        String scale = initializer(name + "/c", Tensor.ofFloats(c.length == 1 ? Shape.of() : perChannel, c));
        String biasName =
                initializer(name + "/bias_f", Tensor.ofFloats(conv ? Shape.of(channels, 1, 1) : perChannel, bias));
        String weight = conv ? w.getInput(0) : transposed(w.getInput(0));
        String out = layer.getOutput(0);
        replaced.put(
                layer,
                List.of(
                        OnnxModels.node(
                                conv ? "ConvInteger" : "MatMulInteger",
                                name,
                                List.of(x.get().getInput(0), weight, x.get().getInput(2), w.getInput(2)),
                                List.of(out + "/acc"),
                                conv ? layer.getAttributeList().toArray(AttributeProto[]::new) : new AttributeProto[0]),
                        OnnxModels.node(
                                "Cast",
                                name + "/cast",
                                List.of(out + "/acc"),
                                List.of(out + "/acc_f"),
                                OnnxModels.intAttr("to", 1)),
                        OnnxModels.node(
                                "Mul", name + "/scale", List.of(out + "/acc_f", scale), List.of(out + "/scaled")),
                        OnnxModels.node("Add", name + "/bias", List.of(biasName, out + "/scaled"), List.of(out))));
    }

    /** The DequantizeLinear writing {@code value}, if it reads a QuantizeLinear's integers. */
    private Optional<NodeProto> activation(String value) {
        NodeProto dq = producers.get(value);
        if (dq == null || !dq.getOpType().equals(QuantizedOps.DEQUANTIZE)) {
            return Optional.empty();
        }
        NodeProto q = producers.get(dq.getInput(0));
        return q != null && q.getOpType().equals(QuantizedOps.QUANTIZE) ? Optional.of(dq) : Optional.empty();
    }

    /** The QuantizeLinear after {@code n}: its only reader, or through a Relu into uint8. */
    private Optional<NodeProto> outputPoint(NodeProto n) {
        List<NodeProto> rs = readers.getOrDefault(n.getOutput(0), List.of());
        boolean relu = rs.size() == 1 && rs.get(0).getOpType().equals("Relu");
        if (relu) {
            rs = readers.getOrDefault(rs.get(0).getOutput(0), List.of());
        }
        if (rs.size() != 1
                || !rs.get(0).getOpType().equals(QuantizedOps.QUANTIZE)
                || relu && value(rs.get(0).getInput(2)).dtype() != DType.U8) {
            return Optional.empty();
        }
        return Optional.of(rs.get(0));
    }

    /** Replaces {@code core} (and the Relu after it, if any) and its output point by {@code replacement}. */
    private void replace(NodeProto core, NodeProto point, NodeProto replacement) {
        replaced.put(core, List.of(replacement));
        dropped.add(point);
        List<NodeProto> rs = readers.getOrDefault(core.getOutput(0), List.of());
        if (rs.get(0).getOpType().equals("Relu")) {
            dropped.add(rs.get(0));
        }
    }

    private Tensor value(String initializer) {
        return OnnxTensors.toTensor(
                initializers.containsKey(initializer)
                        ? initializers.get(initializer)
                        : added.stream()
                                .filter(t -> t.getName().equals(initializer))
                                .findFirst()
                                .orElseThrow(),
                initializer);
    }

    private String initializer(String name, Tensor value) {
        added.add(OnnxTensors.toProto(name, value));
        return name;
    }

    /** A new initializer holding the [N, K] integers {@code name} as [K, N]. */
    private String transposed(String name) {
        Tensor w = value(name);
        Shape shape = Shape.of(w.shape().dim(1), w.shape().dim(0));
        return initializer(name + "/transposed", Tensor.ofInts(w.dtype(), shape, QdqExporterTest.transpose(w)));
    }

    private ModelProto result(ModelProto qdq) {
        GraphProto.Builder b = g.toBuilder().clearNode().addAllInitializer(added);
        for (NodeProto n : g.getNodeList()) {
            if (replaced.containsKey(n)) {
                b.addAllNode(replaced.get(n));
            } else if (!dropped.contains(n) && !unread(n)) {
                b.addNode(n);
            }
        }
        return qdq.toBuilder()
                .setProducerName(qdq.getProducerName())
                .setGraph(b)
                .addOpsetImport(OperatorSetIdProto.newBuilder()
                        .setDomain("com.microsoft")
                        .setVersion(1))
                .build();
    }

    /** A DequantizeLinear of activations whose readers were all replaced (and that is no graph output). */
    private boolean unread(NodeProto n) {
        if (!n.getOpType().equals(QuantizedOps.DEQUANTIZE)
                || initializers.containsKey(n.getInput(0))
                || g.getOutputList().stream().anyMatch(o -> o.getName().equals(n.getOutput(0)))) {
            return false;
        }
        return readers.getOrDefault(n.getOutput(0), List.of()).stream()
                .allMatch(r -> replaced.containsKey(r) || dropped.contains(r));
    }

    private static long transB(NodeProto gemm) {
        return gemm.getAttributeList().stream()
                .filter(a -> a.getName().equals("transB"))
                .mapToLong(AttributeProto::getI)
                .findFirst()
                .orElse(0);
    }
}

package dev.qtune.experiments.peer;

import dev.qtune.compiler.onnx.proto.OnnxSubset.AttributeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fp32 model as ONNX Runtime's quantization tool sees it after its pre-processing
 * ({@code quant_pre_process}, ORT's basic graph optimisations): Identity nodes removed (their
 * readers read the source), and each BatchNormalization that is the only reader of a Conv folded
 * into it the way ORT's Conv+BN fusion does, in float32:
 * {@code k = gamma / sqrt(var + eps)}, {@code W' = W * k[o]}, {@code B' = (B - mean) * k + beta}
 * (without a bias, {@code beta - mean * k}); the new initializers are named
 * {@code ConvBnFusion_W_<weight>} and {@code ConvBnFusion_BN_B_<beta>} as ORT names them.
 * For the QOperator format, each Gemm is also split into MatMul (weight stored [K, N]) and an Add
 * of its bias, since QLinearMatMul has no bias input. Works on the protobuf alone.
 */
final class ForeignPreparation {
    private final GraphProto graph;
    private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
    private final Map<String, List<NodeProto>> readers = new HashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();

    private ForeignPreparation(GraphProto graph) {
        this.graph = graph;
        graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        for (NodeProto n : graph.getNodeList()) {
            n.getInputList()
                    .forEach(v ->
                            readers.computeIfAbsent(v, k -> new ArrayList<>()).add(n));
        }
        graph.getOutputList().forEach(v -> graphOutputs.add(v.getName()));
    }

    /** The prepared model; {@code splitGemm} for the QOperator format. */
    static ModelProto prepare(ModelProto fp32, boolean splitGemm) {
        GraphProto g = new ForeignPreparation(fp32.getGraph()).withoutIdentities();
        g = new ForeignPreparation(g).withBatchNormFolded();
        if (splitGemm) {
            g = new ForeignPreparation(g).withGemmSplit();
        }
        return fp32.toBuilder().setGraph(withoutUnreadInitializers(g)).build();
    }

    private GraphProto withoutIdentities() {
        Map<String, String> source = new HashMap<>();
        List<NodeProto> kept = new ArrayList<>();
        for (NodeProto n : graph.getNodeList()) {
            if (n.getOpType().equals("Identity") && !graphOutputs.contains(n.getOutput(0))) {
                source.put(n.getOutput(0), source.getOrDefault(n.getInput(0), n.getInput(0)));
            } else {
                kept.add(n);
            }
        }
        GraphProto.Builder b = graph.toBuilder().clearNode();
        for (NodeProto n : kept) {
            NodeProto.Builder nb = n.toBuilder().clearInput();
            n.getInputList().forEach(v -> nb.addInput(source.getOrDefault(v, v)));
            b.addNode(nb);
        }
        return b.build();
    }

    private GraphProto withBatchNormFolded() {
        Map<String, NodeProto> producers = new HashMap<>();
        graph.getNodeList().forEach(n -> n.getOutputList().forEach(v -> producers.put(v, n)));
        Map<NodeProto, NodeProto> folded = new HashMap<>();
        Set<NodeProto> removed = new HashSet<>();
        for (NodeProto bn : graph.getNodeList()) {
            if (!bn.getOpType().equals("BatchNormalization")) {
                continue;
            }
            NodeProto conv = producers.get(bn.getInput(0));
            if (conv == null
                    || !conv.getOpType().equals("Conv")
                    || readers.get(bn.getInput(0)).size() != 1
                    || graphOutputs.contains(bn.getInput(0))) {
                throw new IllegalArgumentException("BatchNormalization node '" + bn.getName() + "' reads '"
                        + bn.getInput(0) + "', which is not the output of a Conv that only it reads: ForeignQdqWriter "
                        + "folds BatchNormalization into the Conv before it, as ONNX Runtime does");
            }
            folded.put(conv, fold(conv, bn));
            removed.add(bn);
        }
        GraphProto.Builder b =
                graph.toBuilder().clearNode().clearInitializer().addAllInitializer(initializers.values());
        for (NodeProto n : graph.getNodeList()) {
            if (!removed.contains(n)) {
                b.addNode(folded.getOrDefault(n, n));
            }
        }
        return b.build();
    }

    /** The Conv with the BatchNormalization folded in; its new initializers are added. */
    private NodeProto fold(NodeProto conv, NodeProto bn) {
        float[] gamma = constant(bn, 1);
        float[] beta = constant(bn, 2);
        float[] mean = constant(bn, 3);
        float[] var = constant(bn, 4);
        float eps = 1e-5f;
        for (AttributeProto a : bn.getAttributeList()) {
            if (a.getName().equals("epsilon")) {
                eps = a.getF();
            }
        }
        TensorProto w = initializer(conv, 1);
        float[] weights = OnnxType.floats(w);
        int channels = Math.toIntExact(w.getDims(0));
        if (gamma.length != channels || beta.length != channels || mean.length != channels || var.length != channels) {
            throw new IllegalArgumentException("BatchNormalization node '" + bn.getName() + "' has parameters of "
                    + gamma.length + " channels, but the weight '" + w.getName() + "' of Conv node '" + conv.getName()
                    + "' has " + channels + " output channels");
        }
        float[] bias = conv.getInputCount() > 2 && !conv.getInput(2).isEmpty() ? constant(conv, 2) : null;
        int perChannel = weights.length / channels;
        float[] newBias = new float[channels];
        for (int o = 0; o < channels; o++) {
            float k = gamma[o] / (float) Math.sqrt(var[o] + eps);
            for (int i = o * perChannel; i < (o + 1) * perChannel; i++) {
                weights[i] = weights[i] * k;
            }
            newBias[o] = bias == null ? beta[o] - mean[o] * k : (bias[o] - mean[o]) * k + beta[o];
        }
        String wName = unique("ConvBnFusion_W_" + w.getName());
        String bName = unique("ConvBnFusion_BN_B_" + bn.getInput(2));
        initializers.put(wName, OnnxType.floatTensor(wName, w.getDimsList(), weights));
        initializers.put(bName, OnnxType.floatTensor(bName, List.of((long) channels), newBias));
        return conv.toBuilder()
                .clearInput()
                .addInput(conv.getInput(0))
                .addInput(wName)
                .addInput(bName)
                .clearOutput()
                .addOutput(bn.getOutput(0))
                .build();
    }

    /**
     * {@code base}, or {@code base_N} with the first free N: two BatchNormalizations may share a beta
     * (PyTorch's exporter deduplicates equal initializers), but their folded biases differ.
     */
    private String unique(String base) {
        String name = base;
        for (int i = 1; initializers.containsKey(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    private GraphProto withGemmSplit() {
        GraphProto.Builder b = graph.toBuilder().clearNode();
        for (NodeProto n : graph.getNodeList()) {
            if (!n.getOpType().equals("Gemm")) {
                b.addNode(n);
                continue;
            }
            for (AttributeProto a : n.getAttributeList()) {
                boolean identity = switch (a.getName()) {
                    case "alpha", "beta" -> a.getF() == 1f;
                    case "transA" -> a.getI() == 0;
                    default -> true;
                };
                if (!identity) {
                    throw new IllegalArgumentException("Gemm node '" + n.getName() + "' has " + a.getName()
                            + " other than the default: ForeignQdqWriter splits only Gemm(A, B, C) with alpha = beta "
                            + "= 1 and no transA into MatMul and Add");
                }
            }
            TensorProto w = initializer(n, 1);
            String weight = w.getName();
            if (transB(n)) {
                weight = unique(w.getName() + "_transposed");
                initializers.put(weight, transposed(w, weight));
            }
            String product = n.getOutput(0) + "_MatMul_Output";
            b.addNode(NodeProto.newBuilder()
                    .setName(n.getName() + "_MatMul")
                    .setOpType("MatMul")
                    .addInput(n.getInput(0))
                    .addInput(weight)
                    .addOutput(product));
            if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                b.addNode(NodeProto.newBuilder()
                        .setName(n.getName() + "_Add")
                        .setOpType("Add")
                        .addInput(product)
                        .addInput(n.getInput(2))
                        .addOutput(n.getOutput(0)));
            } else {
                throw new IllegalArgumentException("Gemm node '" + n.getName() + "' has no bias: ForeignQdqWriter "
                        + "splits Gemm into MatMul and the Add of its bias");
            }
        }
        return b.clearInitializer().addAllInitializer(initializers.values()).build();
    }

    static boolean transB(NodeProto gemm) {
        for (AttributeProto a : gemm.getAttributeList()) {
            if (a.getName().equals("transB")) {
                return a.getI() != 0;
            }
        }
        return false;
    }

    private static TensorProto transposed(TensorProto w, String name) {
        if (w.getDimsCount() != 2) {
            throw new IllegalArgumentException(
                    "Gemm weight '" + w.getName() + "' must be 2-D, but has shape " + w.getDimsList());
        }
        int rows = Math.toIntExact(w.getDims(0));
        int cols = Math.toIntExact(w.getDims(1));
        float[] v = OnnxType.floats(w);
        float[] t = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = v[r * cols + c];
            }
        }
        return OnnxType.floatTensor(name, List.of((long) cols, (long) rows), t);
    }

    private float[] constant(NodeProto n, int input) {
        return OnnxType.floats(initializer(n, input));
    }

    private TensorProto initializer(NodeProto n, int input) {
        TensorProto t = n.getInputCount() > input ? initializers.get(n.getInput(input)) : null;
        if (t == null) {
            throw new IllegalArgumentException(n.getOpType() + " node '" + n.getName() + "': input " + input + " ('"
                    + (n.getInputCount() > input ? n.getInput(input) : "") + "') must be an initializer");
        }
        return t;
    }

    private static GraphProto withoutUnreadInitializers(GraphProto g) {
        Set<String> read = new HashSet<>();
        g.getNodeList().forEach(n -> read.addAll(n.getInputList()));
        g.getOutputList().forEach(v -> read.add(v.getName()));
        GraphProto.Builder b = g.toBuilder().clearInitializer();
        g.getInitializerList().stream().filter(t -> read.contains(t.getName())).forEach(b::addInitializer);
        return b.build();
    }
}

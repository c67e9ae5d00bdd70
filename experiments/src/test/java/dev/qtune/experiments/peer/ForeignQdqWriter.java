package dev.qtune.experiments.peer;

import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.OperatorSetIdProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ValueInfoProto;
import dev.qtune.evaluator.data.Dataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pre-quantized ONNX model written the way ONNX Runtime's {@code quantize_static} lays one out,
 * in one of several {@link ForeignQdqConvention}s that are not qtune's, so that qtune's QDQ importer
 * is tested on files it did not write. Test code, on the ONNX protobuf alone: nothing of qtune's
 * exporter or quantizer is used; qtune's fp32 interpreter only measures the calibration ranges
 * ({@link ActivationRanges}).
 *
 * <p>The layout (QDQ format, after ORT's pre-processing: {@link ForeignPreparation}):
 * <ul>
 *   <li>Every activation tensor that a quantizable op (Conv, Gemm, MatMul, Add, Concat, MaxPool,
 *       AveragePool, GlobalAveragePool, Flatten, Reshape) reads, and each such op's output, gets one
 *       {@code QuantizeLinear -> DequantizeLinear} pair ({@code T_QuantizeLinear},
 *       {@code T_DequantizeLinear}, scalar initializers {@code T_scale}, {@code T_zero_point}); every
 *       reader of T reads the DequantizeLinear's output. A graph output keeps its name on the
 *       DequantizeLinear; its producer writes {@code T_QuantizeLinear_Input}.</li>
 *   <li>The output of a Conv, Gemm, MatMul or Add whose only reader is a Relu is quantized after the
 *       Relu (ORT places Q/DQ after Conv+Relu as one unit); MaxPool, AveragePool, Flatten and
 *       Reshape outputs share their input's scale and zero point (ORT's "direct 8-bit" ops);
 *       every other tensor has the parameters of its own min/max range.</li>
 *   <li>Weights: integer initializers {@code W_quantized} read by {@code W_DequantizeLinear}, per
 *       output channel ({@code axis} 0 for Conv and Gemm with transB, 1 for [K, N] weights) or per
 *       tensor; biases: int32 {@code B_quantized} with scale {@code s_x * s_w} (the float32 product)
 *       and zero point 0, read by {@code B_quantized_DequantizeLinear}.</li>
 *   <li>Producer {@code onnx.quantize} 0.1.0 (ORT's), the fp32 model's IR version and opset (at
 *       least 13, for per-axis DequantizeLinear).</li>
 * </ul>
 * In the QOperator format ({@link ForeignQdqConvention#QLINEAR}) a Conv is written as QLinearConv
 * and a MatMul with a constant weight (so each Gemm, which {@link ForeignPreparation} splits) as
 * QLinearMatMul, reading the quantized input {@code T_QuantizeLinear_Output} (or another QLinear
 * op's {@code T_quantized}) and writing {@code T_quantized}, with a DequantizeLinear to {@code T}
 * where a float op reads it; a Relu after it is dropped (its range gives the zero point 0, so
 * saturation is the Relu); the bias Add after a QLinearMatMul reads its bias as int32 through
 * DequantizeLinear at scale {@code s_a * s_b}.
 *
 * <p>Constants are quantized exactly as ONNX QuantizeLinear computes: {@code saturate(rint(x / s)
 * + zp)} with a float32 division and ties to even ({@link #quantizeLinear}).
 */
final class ForeignQdqWriter {
    /** ONNX Runtime's quantization tool's producer_name and producer_version. */
    static final String PRODUCER = "onnx.quantize";

    static final String PRODUCER_VERSION = "0.1.0";

    private static final Set<String> QUANTIZABLE = Set.of(
            "Conv",
            "Gemm",
            "MatMul",
            "Add",
            "Concat",
            "MaxPool",
            "AveragePool",
            "GlobalAveragePool",
            "Flatten",
            "Reshape");
    /** Ops whose output stays on the input's grid: ORT gives the output the input's parameters. */
    private static final Set<String> SAME_AS_INPUT = Set.of("MaxPool", "AveragePool", "Flatten", "Reshape");

    private static final Set<String> FUSES_RELU = Set.of("Conv", "Gemm", "MatMul", "Add");

    /** The scales and zero points of one tensor: one each, or one per slice along {@code axis}. */
    record Params(float[] scales, int[] zeroPoints, OnnxType type, int axis) {
        float scale() {
            return scales[0];
        }

        List<Long> dims() {
            return axis < 0 ? List.of() : List.of((long) scales.length);
        }
    }

    private final ForeignQdqConvention convention;
    private final ActivationRanges ranges;
    private final GraphProto graph;
    private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Map<String, List<NodeProto>> readers = new HashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();

    /** Activation tensor -> its parameters, in the order the tensors are produced. */
    private final Map<String, Params> activations = new LinkedHashMap<>();
    /** Conv and MatMul nodes written as QLinearConv and QLinearMatMul. */
    private final Set<NodeProto> quantizedOperators = new HashSet<>();
    /** The quantized outputs of {@link #quantizedOperators}: produced as integers, with no QuantizeLinear. */
    private final Set<String> producedQuantized = new HashSet<>();

    private final Set<NodeProto> droppedRelus = new HashSet<>();
    private final Map<String, Params> weightParams = new HashMap<>();

    private final List<NodeProto> written = new ArrayList<>();
    private final Map<String, TensorProto> writtenInitializers = new LinkedHashMap<>();

    private ForeignQdqWriter(GraphProto graph, ActivationRanges ranges, ForeignQdqConvention convention) {
        this.graph = graph;
        this.ranges = ranges;
        this.convention = convention;
        graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        for (NodeProto n : graph.getNodeList()) {
            n.getInputList()
                    .forEach(v ->
                            readers.computeIfAbsent(v, k -> new ArrayList<>()).add(n));
            n.getOutputList().forEach(v -> producers.put(v, n));
        }
        graph.getOutputList().forEach(v -> graphOutputs.add(v.getName()));
    }

    /**
     * The fp32 model quantized under {@code convention}, calibrated (min/max) on the first
     * {@code images} images of {@code calibration}; {@code source} names the model in errors.
     */
    static ModelProto write(
            ModelProto fp32, String source, ForeignQdqConvention convention, Dataset calibration, int images) {
        ModelProto prepared = ForeignPreparation.prepare(fp32, convention.quantizedOperators);
        return quantize(prepared, ActivationRanges.measure(prepared, source, calibration, images), convention);
    }

    /** A prepared model ({@link ForeignPreparation}) quantized with the given ranges. */
    static ModelProto quantize(ModelProto prepared, ActivationRanges ranges, ForeignQdqConvention convention) {
        for (OperatorSetIdProto id : prepared.getOpsetImportList()) {
            if ((id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) && id.getVersion() < 13) {
                throw new IllegalArgumentException("the model imports opset " + id.getVersion() + ", but per-axis "
                        + "DequantizeLinear needs opset 13 or later");
            }
        }
        GraphProto g = new ForeignQdqWriter(prepared.getGraph(), ranges, convention).quantizedGraph();
        return prepared.toBuilder()
                .setProducerName(PRODUCER)
                .setProducerVersion(PRODUCER_VERSION)
                .setGraph(g)
                .build();
    }

    static void save(ModelProto model, Path file) {
        try {
            Files.write(file, model.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** ONNX QuantizeLinear of one value: saturate(rint(x / scale) + zeroPoint), float32 division, ties to even. */
    static int quantizeLinear(float x, float scale, int zeroPoint, OnnxType type) {
        double q = Math.rint(x / scale) + zeroPoint;
        return (int) Math.max(type.min, Math.min(type.max, q));
    }

    private GraphProto quantizedGraph() {
        plan();
        for (ValueInfoProto in : graph.getInputList()) {
            if (activations.containsKey(in.getName())) {
                writeQuantizationPair(in.getName());
            }
        }
        for (NodeProto n : graph.getNodeList()) {
            if (droppedRelus.contains(n)) {
                continue;
            }
            if (quantizedOperators.contains(n)) {
                writeQuantizedOperator(n);
                writeQuantizationPair(quantizedOutput(n));
                continue;
            }
            writeFloatNode(n);
            for (String y : n.getOutputList()) {
                if (activations.containsKey(y)) {
                    writeQuantizationPair(y);
                }
            }
        }
        Set<String> read = new HashSet<>();
        written.forEach(n -> read.addAll(n.getInputList()));
        GraphProto.Builder b = graph.toBuilder()
                .clearNode()
                .clearInitializer()
                .clearValueInfo()
                .addAllNode(written);
        initializers.values().stream().filter(t -> read.contains(t.getName())).forEach(b::addInitializer);
        b.addAllInitializer(writtenInitializers.values());
        GraphProto g = b.build();
        checkTopologicalOrder(g);
        return g;
    }

    // ---- the plan: which tensors are quantized, with which parameters ----

    private void plan() {
        for (NodeProto n : graph.getNodeList()) {
            String op = n.getOpType();
            if (!QUANTIZABLE.contains(op)) {
                continue;
            }
            if (convention.quantizedOperators && hasConstantWeight(n) && (op.equals("Conv") || op.equals("MatMul"))) {
                quantizedOperators.add(n);
            }
            for (String x : activationInputs(n)) {
                planActivation(x, null);
            }
            String y = quantizedOutput(n);
            planActivation(y, SAME_AS_INPUT.contains(op) ? activations.get(n.getInput(0)) : null);
            if (quantizedOperators.contains(n)) {
                producedQuantized.add(y);
                if (!y.equals(n.getOutput(0))) {
                    droppedRelus.add(readers.get(n.getOutput(0)).get(0));
                }
            }
        }
    }

    private void planActivation(String tensor, Params shared) {
        if (!activations.containsKey(tensor)) {
            activations.put(tensor, shared != null ? shared : activationParams(tensor));
        }
    }

    /** The inputs of a quantizable node that are activations (not constants), each to be quantized. */
    private List<String> activationInputs(NodeProto n) {
        List<String> inputs = new ArrayList<>();
        switch (n.getOpType()) {
            case "Conv", "Gemm" -> {
                if (!hasConstantWeight(n)) {
                    throw new IllegalArgumentException(n.getOpType() + " node '" + n.getName() + "': weight '"
                            + n.getInput(1) + "' must be an initializer");
                }
                inputs.add(n.getInput(0));
            }
            case "MaxPool", "AveragePool", "GlobalAveragePool", "Flatten", "Reshape" -> inputs.add(n.getInput(0));
            case "MatMul", "Add", "Concat" -> {
                for (String v : n.getInputList()) {
                    if (!initializers.containsKey(v)) {
                        inputs.add(v);
                    }
                }
            }
            default -> throw new IllegalStateException("no quantization rule for " + n.getOpType());
        }
        return inputs;
    }

    /** The tensor that holds a quantizable node's quantized output: its own, or that of the Relu it fuses. */
    private String quantizedOutput(NodeProto n) {
        String y = n.getOutput(0);
        if (!FUSES_RELU.contains(n.getOpType()) || graphOutputs.contains(y)) {
            return y;
        }
        List<NodeProto> rs = readers.getOrDefault(y, List.of());
        return rs.size() == 1 && rs.get(0).getOpType().equals("Relu")
                ? rs.get(0).getOutput(0)
                : y;
    }

    private boolean hasConstantWeight(NodeProto n) {
        return n.getInputCount() > 1 && initializers.containsKey(n.getInput(1));
    }

    private Params activationParams(String tensor) {
        return activationParams(convention.activations, ranges.min(tensor), ranges.max(tensor));
    }

    /** The scale and zero point of an activation with the calibrated range [min, max]. */
    static Params activationParams(ForeignQdqConvention.Activations scheme, float min, float max) {
        return switch (scheme) {
            case U8_ASYMMETRIC -> asymmetric(min, max, OnnxType.UINT8);
            case S8_ASYMMETRIC -> asymmetric(min, max, OnnxType.INT8);
            case U8_ZERO_POINT_128 -> symmetric(Math.max(Math.abs(min), Math.abs(max)), 128, OnnxType.UINT8);
            case S8_SYMMETRIC -> symmetric(Math.max(Math.abs(min), Math.abs(max)), 0, OnnxType.INT8);
        };
    }

    /** ORT's compute_scale_zp: the range widened to include 0, scale (max - min) / (qmax - qmin), zp rint(qmin - min / scale). */
    private static Params asymmetric(float min, float max, OnnxType type) {
        float rmin = Math.min(min, 0f);
        float rmax = Math.max(max, 0f);
        float scale = (float) (((double) rmax - rmin) / (type.max - type.min));
        if (!(scale >= Float.MIN_NORMAL) || Float.isInfinite(scale)) {
            return new Params(new float[] {1f}, new int[] {type.min}, type, -1);
        }
        int zp = (int) Math.max(type.min, Math.min(type.max, Math.rint(type.min - rmin / scale)));
        return new Params(new float[] {scale}, new int[] {zp}, type, -1);
    }

    private static Params symmetric(float absMax, int zeroPoint, OnnxType type) {
        float scale = absMax / 127f;
        if (!(scale >= Float.MIN_NORMAL) || Float.isInfinite(scale)) {
            scale = 1f;
        }
        return new Params(new float[] {scale}, new int[] {zeroPoint}, type, -1);
    }

    // ---- writing ----

    /** QuantizeLinear (unless a quantized operator produced the integers) and the DequantizeLinear float readers need. */
    private void writeQuantizationPair(String tensor) {
        List<String> params = activationParamNames(tensor);
        if (!producedQuantized.contains(tensor)) {
            written.add(NodeProto.newBuilder()
                    .setName(tensor + "_QuantizeLinear")
                    .setOpType("QuantizeLinear")
                    .addInput(floatName(tensor))
                    .addAllInput(params)
                    .addOutput(quantizedName(tensor))
                    .build());
        }
        if (needsDequantized(tensor)) {
            written.add(NodeProto.newBuilder()
                    .setName(tensor + "_DequantizeLinear")
                    .setOpType("DequantizeLinear")
                    .addInput(quantizedName(tensor))
                    .addAllInput(params)
                    .addOutput(dequantizedName(tensor))
                    .build());
        }
    }

    /** The scalar scale and zero point initializers of an activation, {@code T_scale} and {@code T_zero_point}. */
    private List<String> activationParamNames(String tensor) {
        Params p = activations.get(tensor);
        if (p == null) {
            throw new IllegalStateException("tensor '" + tensor + "' is not quantized");
        }
        String scale = tensor + "_scale";
        String zeroPoint = tensor + "_zero_point";
        writtenInitializers.computeIfAbsent(scale, k -> OnnxType.floatTensor(k, List.of(), p.scales()));
        writtenInitializers.computeIfAbsent(zeroPoint, k -> p.type().tensor(k, List.of(), p.zeroPoints()));
        return List.of(scale, zeroPoint);
    }

    private String quantizedName(String tensor) {
        return producedQuantized.contains(tensor) ? tensor + "_quantized" : tensor + "_QuantizeLinear_Output";
    }

    /** The name float readers read: the tensor's own for a graph output or a quantized operator's output. */
    private String dequantizedName(String tensor) {
        return producedQuantized.contains(tensor) || graphOutputs.contains(tensor)
                ? tensor
                : tensor + "_DequantizeLinear_Output";
    }

    /** The float tensor QuantizeLinear reads: a graph output's producer writes it under another name. */
    private String floatName(String tensor) {
        return graphOutputs.contains(tensor) ? tensor + "_QuantizeLinear_Input" : tensor;
    }

    private boolean needsDequantized(String tensor) {
        if (graphOutputs.contains(tensor)) {
            return true;
        }
        for (NodeProto r : readers.getOrDefault(tensor, List.of())) {
            if (!(quantizedOperators.contains(r) && r.getInput(0).equals(tensor))) {
                return true;
            }
        }
        return false;
    }

    /** A node in float form: activations read dequantized, constant weights and biases through DequantizeLinear. */
    private void writeFloatNode(NodeProto n) {
        NodeProto.Builder b = n.toBuilder().clearInput().clearOutput();
        for (int i = 0; i < n.getInputCount(); i++) {
            b.addInput(floatInput(n, i));
        }
        for (String y : n.getOutputList()) {
            b.addOutput(activations.containsKey(y) && !producedQuantized.contains(y) ? floatName(y) : y);
        }
        written.add(b.build());
    }

    private String floatInput(NodeProto n, int i) {
        String v = n.getInput(i);
        if (activations.containsKey(v)) {
            return dequantizedName(v);
        }
        if (!initializers.containsKey(v) || !QUANTIZABLE.contains(n.getOpType())) {
            return v;
        }
        String op = n.getOpType();
        if ((op.equals("Conv") || op.equals("Gemm") || op.equals("MatMul")) && i == 1) {
            return dequantizedConstant(v, weightParams(n), weightInitializer(n));
        }
        if ((op.equals("Conv") || op.equals("Gemm")) && i == 2) {
            return dequantizedConstant(biasName(v), biasParams(n), biasInitializer(n, v, biasParams(n)));
        }
        if (op.equals("Add")) {
            NodeProto layer = layerOfBias(n, v);
            Params p = biasParams(layer);
            return dequantizedConstant(biasName(v), p, biasInitializer(n, v, p));
        }
        if (op.equals("Reshape") && i == 1) {
            return v;
        }
        throw new IllegalArgumentException(op + " node '" + n.getName() + "' reads the constant '" + v
                + "', which ForeignQdqWriter quantizes only as a Conv, Gemm or MatMul weight or bias");
    }

    /** The MatMul whose output an Add adds the constant {@code bias} to (a Gemm that was split). */
    private NodeProto layerOfBias(NodeProto add, String bias) {
        for (String v : add.getInputList()) {
            NodeProto p = producers.get(v);
            if (!v.equals(bias) && p != null && p.getOpType().equals("MatMul") && hasConstantWeight(p)) {
                return p;
            }
        }
        throw new IllegalArgumentException("Add node '" + add.getName() + "' reads the constant '" + bias
                + "', which ForeignQdqWriter quantizes only as the bias of a MatMul with a constant weight");
    }

    /** DequantizeLinear of an integer initializer {@code integers}: node {@code X_DequantizeLinear}. */
    private String dequantizedConstant(String name, Params p, String integers) {
        String output = name + "_DequantizeLinear_Output";
        if (writtenInitializers.containsKey(name + "_scale")) {
            return output;
        }
        List<String> params = constantParamNames(name, p);
        NodeProto.Builder dq = NodeProto.newBuilder()
                .setName(name + "_DequantizeLinear")
                .setOpType("DequantizeLinear")
                .addInput(integers)
                .addAllInput(params)
                .addOutput(output);
        if (p.axis() >= 0) {
            dq.addAttribute(OnnxType.intAttribute("axis", p.axis()));
        }
        written.add(dq.build());
        return output;
    }

    private List<String> constantParamNames(String name, Params p) {
        String scale = name + "_scale";
        String zeroPoint = name + "_zero_point";
        writtenInitializers.put(scale, OnnxType.floatTensor(scale, p.dims(), p.scales()));
        writtenInitializers.put(zeroPoint, p.type().tensor(zeroPoint, p.dims(), p.zeroPoints()));
        return List.of(scale, zeroPoint);
    }

    /** QLinearConv or QLinearMatMul, reading and writing integers. */
    private void writeQuantizedOperator(NodeProto n) {
        String x = n.getInput(0);
        String y = quantizedOutput(n);
        String w = n.getInput(1);
        Params wp = weightParams(n);
        String integers = weightInitializer(n);
        List<String> wParams = constantParamNames(w, wp);
        NodeProto.Builder b = NodeProto.newBuilder()
                .setName(n.getName() + "_quant")
                .setOpType(n.getOpType().equals("Conv") ? "QLinearConv" : "QLinearMatMul")
                .addInput(quantizedName(x))
                .addAllInput(activationParamNames(x))
                .addInput(integers)
                .addAllInput(wParams)
                .addAllInput(activationParamNames(y))
                .addOutput(quantizedName(y));
        if (n.getOpType().equals("Conv")) {
            b.addAllAttribute(n.getAttributeList());
            if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                b.addInput(biasInitializer(n, n.getInput(2), biasParams(n)));
            }
        }
        written.add(b.build());
    }

    // ---- constants ----

    /** The weight's output-channel axis: 0 for Conv and Gemm with transB, 1 for a [K, N] weight. */
    private static int outputAxis(NodeProto n) {
        return switch (n.getOpType()) {
            case "Conv" -> 0;
            case "Gemm" -> ForeignPreparation.transB(n) ? 0 : 1;
            default -> 1;
        };
    }

    /**
     * Weight scales and zero points per output channel or per tensor: max|w| / 127 (or 64) and the
     * convention's zero point, or for asymmetric uint8 weights (max - min) / 255 over the range
     * widened to include 0 and rint(-min / scale).
     */
    private Params weightParams(NodeProto n) {
        return weightParams.computeIfAbsent(n.getInput(1), name -> {
            TensorProto t = initializers.get(name);
            if (n.getOpType().equals("MatMul") && t.getDimsCount() != 2) {
                throw new IllegalArgumentException("MatMul node '" + n.getName() + "': weight '" + name
                        + "' must be 2-D [K, N], but has shape " + t.getDimsList());
            }
            float[] w = OnnxType.floats(t);
            int axis = convention.perChannelWeights ? outputAxis(n) : -1;
            int channels = axis < 0 ? 1 : Math.toIntExact(t.getDims(axis));
            int inner = axis < 0 ? w.length : OnnxType.numel(t.getDimsList().subList(axis + 1, t.getDimsCount()));
            float[] min = new float[channels];
            float[] max = new float[channels];
            for (int i = 0; i < w.length; i++) {
                int c = (i / inner) % channels;
                min[c] = Math.min(min[c], w[i]);
                max[c] = Math.max(max[c], w[i]);
            }
            float[] scales = new float[channels];
            int[] zeroPoints = new int[channels];
            for (int c = 0; c < channels; c++) {
                boolean asymmetric = convention.weights == ForeignQdqConvention.Weights.U8_ASYMMETRIC;
                scales[c] = asymmetric
                        ? (max[c] - min[c]) / 255f
                        : Math.max(max[c], -min[c]) / convention.weights.maxMagnitude;
                if (!(scales[c] >= Float.MIN_NORMAL)) {
                    scales[c] = 1f;
                }
                zeroPoints[c] = asymmetric
                        ? Math.max(0, Math.min(255, (int) Math.rint(-min[c] / scales[c])))
                        : convention.weights.zeroPoint;
            }
            return new Params(scales, zeroPoints, convention.weights.type, axis);
        });
    }

    /** The weight's integers as initializer {@code W_quantized}. */
    private String weightInitializer(NodeProto n) {
        String name = n.getInput(1) + "_quantized";
        if (!writtenInitializers.containsKey(name)) {
            TensorProto t = initializers.get(n.getInput(1));
            writtenInitializers.put(name, quantized(name, t, weightParams(n)));
        }
        return name;
    }

    /** The parameters of the bias of {@code layer} (1-D): scale s_x * s_w per output channel, zero point 0. */
    private Params biasParams(NodeProto layer) {
        Params x = activations.get(layer.getInput(0));
        Params w = weightParams(layer);
        float[] scales = new float[w.scales().length];
        for (int c = 0; c < scales.length; c++) {
            scales[c] = x.scale() * w.scales()[c];
        }
        return new Params(scales, new int[scales.length], OnnxType.INT32, scales.length > 1 ? 0 : -1);
    }

    private static String biasName(String bias) {
        return bias + "_quantized";
    }

    /** The bias integers rint(b / (s_x * s_w)) as int32 initializer {@code B_quantized}. */
    private String biasInitializer(NodeProto reader, String bias, Params p) {
        TensorProto t = initializers.get(bias);
        if (t.getDimsCount() != 1) {
            throw new IllegalArgumentException(reader.getOpType() + " node '" + reader.getName() + "': bias '" + bias
                    + "' must be 1-D, but has shape " + t.getDimsList());
        }
        String name = biasName(bias);
        writtenInitializers.computeIfAbsent(name, k -> quantized(k, t, p));
        return name;
    }

    private static TensorProto quantized(String name, TensorProto t, Params p) {
        float[] v = OnnxType.floats(t);
        int channels = p.scales().length;
        if (p.axis() >= 0 && t.getDims(p.axis()) != channels) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "' of shape " + t.getDimsList() + " has "
                    + t.getDims(p.axis()) + " elements along axis " + p.axis() + ", but " + channels + " scales");
        }
        int inner = p.axis() < 0 ? v.length : OnnxType.numel(t.getDimsList().subList(p.axis() + 1, t.getDimsCount()));
        int[] q = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            int c = (i / inner) % channels;
            q[i] = quantizeLinear(v[i], p.scales()[c], p.zeroPoints()[c], p.type());
        }
        return p.type().tensor(name, t.getDimsList(), q);
    }

    /** Every node input must be a graph input, an initializer or the output of an earlier node. */
    private static void checkTopologicalOrder(GraphProto g) {
        Set<String> defined = new HashSet<>();
        g.getInputList().forEach(v -> defined.add(v.getName()));
        g.getInitializerList().forEach(t -> defined.add(t.getName()));
        for (NodeProto n : g.getNodeList()) {
            for (String v : n.getInputList()) {
                if (!v.isEmpty() && !defined.contains(v)) {
                    throw new IllegalStateException(n.getOpType() + " node '" + n.getName() + "' reads '" + v
                            + "', which no earlier node, initializer or graph input defines");
                }
            }
            defined.addAll(n.getOutputList());
        }
        for (ValueInfoProto v : g.getOutputList()) {
            if (!defined.contains(v.getName())) {
                throw new IllegalStateException("graph output '" + v.getName() + "' is not produced");
            }
        }
    }
}

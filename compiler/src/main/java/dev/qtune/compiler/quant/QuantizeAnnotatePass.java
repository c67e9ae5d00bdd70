package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.MatMulNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.NodeOutputs;
import dev.qtune.compiler.ir.QuantRole;
import dev.qtune.compiler.ir.QuantSpec;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.pass.InferTypesPass;
import dev.qtune.compiler.pass.Pass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Inserts SimQuantize nodes where the per-op rules ({@link AnnotateRules}) and the config say, as
 * TVM's annotate does: on the inputs, weights and biases of quantized Conv/Gemm/MatMul layers, on their
 * outputs (after a Relu or a Clip(min >= 0, max) that is their only reader, which the integer op then fuses), on the
 * outputs of Add/Concat of quantized values, and after average pools. Scales are left for
 * QuantizeCalibrate. Activations that are non-negative by construction are quantized unsigned.
 */
public final class QuantizeAnnotatePass implements Pass {
    private final QuantConfig config;

    public QuantizeAnnotatePass(QuantConfig config) {
        this.config = config;
    }

    @Override
    public Set<String> requires() {
        return Set.of("InferTypes", "FoldConstants", "FoldBatchNorm");
    }

    @Override
    public Graph run(Graph g) {
        config.checkPatterns(AnnotateRules.quantizableLayers(g));
        return InferTypesPass.infer(new Annotator(g).run());
    }

    private final class Annotator {
        private final Graph g;
        /** Original value name -> the name of its quantized (SimQuantize output or exact) form. */
        private final Map<String, String> quantized = new HashMap<>();
        /** Quantized value name (as in {@code quantized}) -> the spec of its quantization point. */
        private final Map<String, QuantSpec> specs = new HashMap<>();
        /** Relu/Clip nodes fused into the layer before them: their output gets the layer's quantization point. */
        private final Map<String, LayerQuantConfig> fused = new HashMap<>();

        private final Set<String> graphOutputs;
        private final List<Node> out = new ArrayList<>();

        Annotator(Graph g) {
            this.g = g;
            this.graphOutputs = new HashSet<>(g.outputNames());
        }

        Graph run() {
            for (Node n : g.nodes()) {
                if (fused.containsKey(n.name())) {
                    LayerQuantConfig c = fused.get(n.name());
                    addPoint(
                            emit(n, rewire(n.inputs())),
                            c,
                            QuantRole.ACTIVATION,
                            QuantMath.activationRange(c.activationBits(), true));
                    continue;
                }
                switch (AnnotateRules.of(g, n)) {
                    case COMPUTE -> compute(n);
                    case MERGE -> merge(n);
                    case PASS_THROUGH -> passThrough(n, false);
                    case INHERIT -> passThrough(n, true);
                    case FP32 -> emit(n, rewire(n.inputs()));
                }
            }
            return g.withNodes(out);
        }

        private void compute(Node n) {
            LayerQuantConfig c = config.forLayer(n.name());
            if (c.skip()) {
                if (!config.allowFp32Islands()) {
                    throw new QuantConfigException(config.source() + ": layer '" + n.name()
                            + "' is skipped (kept in fp32) but allow_fp32_islands is false");
                }
                emit(n, rewire(n.inputs()));
                return;
            }
            List<String> ins = new ArrayList<>(n.inputs());
            ins.set(0, quantizeActivation(ins.get(0), c));
            ins.set(1, quantizeWeight(n, ins.get(1), c));
            if (ins.size() > 2 && !ins.get(2).isEmpty()) {
                ins.set(2, quantizeBias(n, ins.get(2), c));
            }
            Node emitted = emit(n, ins);
            outputPoint(emitted, c);
        }

        private void merge(Node n) {
            boolean allQuantized = n.inputs().stream().allMatch(quantized::containsKey);
            if (!allQuantized && config.allowFp32Islands()) {
                emit(n, rewire(n.inputs()));
                return;
            }
            LayerQuantConfig c = config.forLayer(n.name());
            List<String> ins = new ArrayList<>();
            for (String v : n.inputs()) {
                ins.add(quantizeActivation(v, c));
            }
            outputPoint(emit(n, ins), c);
        }

        private void passThrough(Node n, boolean inherit) {
            String in = n.inputs().get(0);
            if (!quantized.containsKey(in)) {
                emit(n, rewire(n.inputs()));
                return;
            }
            Node emitted = emit(n, rewire(n.inputs()));
            QuantSpec inSpec = specs.get(quantized.get(in));
            if (inherit) {
                addPoint(emitted, inSpec.config(), QuantRole.INHERIT, inSpec.range());
            } else {
                quantized.put(n.output(), n.output());
                specs.put(n.output(), inSpec);
            }
        }

        /** The output of a quantized op: fuse a Relu or ReLU6-like Clip that is its only reader, else quantize here. */
        private void outputPoint(Node emitted, LayerQuantConfig c) {
            String v = emitted.output();
            Optional<FusedActivation> activation = FusedActivation.reading(g, v);
            if (activation.isPresent()) {
                fused.put(activation.get().node().name(), c);
                return;
            }
            addPoint(emitted, c, QuantRole.ACTIVATION, QuantMath.activationRange(c, NonNegative.of(g, v)));
        }

        /** A SimQuantize on the output of the just-emitted node; a graph output keeps its name. */
        private void addPoint(Node emitted, LayerQuantConfig c, QuantRole role, IntRange range) {
            String v = emitted.output();
            String quantName = v + "/q";
            String source = v;
            if (graphOutputs.contains(v)) {
                source = v + "/fp";
                out.set(out.size() - 1, NodeOutputs.withOutput(emitted, source));
                quantName = v;
            }
            QuantSpec spec = new QuantSpec(role, QuantMath.storage(range), range, -1, c, List.of());
            out.add(new SimQuantizeNode(v + "/simq", List.of(source), quantName, v, spec));
            quantized.put(v, quantName);
            specs.put(quantName, spec);
        }

        private String quantizeActivation(String v, LayerQuantConfig c) {
            if (quantized.containsKey(v)) {
                return quantized.get(v);
            }
            IntRange range = QuantMath.activationRange(c, NonNegative.of(g, v));
            LayerQuantConfig atBoundary = config.boundaryCalibration()
                    .map(mode -> new LayerQuantConfig(
                            c.weightBits(),
                            c.activationBits(),
                            c.weightScale(),
                            c.granularity(),
                            mode,
                            c.percentile(),
                            c.skip(),
                            c.rounding(),
                            c.activationMode()))
                    .orElse(c);
            QuantSpec spec =
                    new QuantSpec(QuantRole.ACTIVATION, QuantMath.storage(range), range, -1, atBoundary, List.of());
            String q = v + "/q";
            out.add(new SimQuantizeNode(v + "/simq", List.of(v), q, v, spec));
            quantized.put(v, q);
            specs.put(q, spec);
            return q;
        }

        private String quantizeWeight(Node layer, String w, LayerQuantConfig c) {
            int axis = weightAxis(layer);
            IntRange range = IntRange.signed(c.weightBits());
            QuantSpec spec = new QuantSpec(
                    QuantRole.WEIGHT,
                    QuantMath.storage(range),
                    range,
                    c.granularity() == Granularity.PER_CHANNEL ? axis : -1,
                    c,
                    List.of());
            String q = w + "/q@" + layer.name();
            out.add(new SimQuantizeNode(layer.name() + "/weight/simq", List.of(w), q, w, spec));
            return q;
        }

        /** The bias at scale s_in * s_w, in int32 (scales set by QuantizeCalibrate from the layer's). */
        private String quantizeBias(Node layer, String b, LayerQuantConfig c) {
            int axis = g.type(b).shape().rank() - 1;
            QuantSpec spec = new QuantSpec(QuantRole.BIAS, DType.I32, IntRange.BIAS, axis, c, List.of());
            String q = b + "/q@" + layer.name();
            out.add(new SimQuantizeNode(layer.name() + "/bias/simq", List.of(b), q, b, spec));
            return q;
        }

        /** The output-channel axis of a layer's weight. */
        private int weightAxis(Node layer) {
            if (layer instanceof Conv2dNode) {
                return 0;
            }
            if (layer instanceof GemmNode gemm) {
                return gemm.transB() ? 0 : 1;
            }
            if (layer instanceof MatMulNode) {
                return 1;
            }
            throw new IllegalStateException("no weight axis for " + layer.opType());
        }

        private List<String> rewire(List<String> inputs) {
            List<String> r = new ArrayList<>();
            for (String v : inputs) {
                r.add(quantized.getOrDefault(v, v));
            }
            return r;
        }

        private Node emit(Node n, List<String> inputs) {
            Node e = inputs.equals(n.inputs()) ? n : n.withInputs(inputs);
            out.add(e);
            return e;
        }
    }
}

package dev.qtune.compiler.quant;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.AvgPool2dNode;
import dev.qtune.compiler.ir.BinaryNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.DequantizeNode;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.IdentityNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QAddNode;
import dev.qtune.compiler.ir.QConcatNode;
import dev.qtune.compiler.ir.QuantRole;
import dev.qtune.compiler.ir.QuantSpec;
import dev.qtune.compiler.ir.QuantizeNode;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.ValueInfo;
import dev.qtune.compiler.pass.EliminateDeadCodePass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One run of {@link QuantizeRealizePass} over an annotated, calibrated graph. */
final class Realizer {
    private final Graph g;
    private final Map<String, IntValue> ints = new HashMap<>();
    private final Map<String, String> floats = new HashMap<>();
    private final Set<String> consumed = new HashSet<>();
    private final Set<String> graphOutputs;
    private final List<Node> out = new ArrayList<>();
    private final Map<String, Tensor> inits;

    Realizer(Graph g) {
        this.g = g;
        this.graphOutputs = new HashSet<>(g.outputNames());
        this.inits = new LinkedHashMap<>(g.initializers());
    }

    Graph run() {
        g.inputs().forEach(v -> floats.put(v.name(), v.name()));
        g.initializers().keySet().forEach(v -> floats.put(v, v));
        for (Node n : g.nodes()) {
            if (consumed.contains(n.name())) {
                continue;
            }
            switch (QuantizeRealizePass.rule(g, n)) {
                case QUANTIZE_POINT -> quantizePoint((SimQuantizeNode) n);
                case WEIGHT -> { }
                case COMPUTE -> emitLayer(n);
                case MERGE -> merge(n);
                case INTEGER_IF_INPUT_IS -> passThrough(n);
                case FP32 -> fp32(n);
            }
        }
        for (ValueInfo o : g.outputs()) {
            String v = o.name();
            if (floats.containsKey(v)) {
                if (!floats.get(v).equals(v)) {
                    out.add(new IdentityNode(v + "/out", floats.get(v), v));
                }
            } else {
                IntValue iv = intOf(v, "graph output");
                out.add(new DequantizeNode(v + "/dequantize", List.of(iv.name()), v, iv.scale(), iv.zeroPoint()));
            }
        }
        Graph realized = g.withNodes(out).withInitializers(inits).withTypes(Map.of());
        return new EliminateDeadCodePass().run(realized);
    }

    private String intName(String annotatedName) {
        return graphOutputs.contains(annotatedName) ? annotatedName + "/int" : annotatedName;
    }

    private IntValue intOf(String v, String what) {
        IntValue iv = ints.get(v);
        if (iv == null) {
            throw new QtuneException("realize: " + what + " '" + v + "' has no integer form");
        }
        return iv;
    }

    private void quantizePoint(SimQuantizeNode q) {
        QuantSpecView spec = new QuantSpecView(q);
        if (q.spec().role() == QuantRole.INHERIT) {
            IntValue in = intOf(q.input(), "input of " + q.name());
            ints.put(q.output(), in);
            return;
        }
        String in = floatOf(q.input());
        String name = intName(q.output());
        out.add(new QuantizeNode(q.name(), List.of(in), name, spec.scale(), q.spec().storage(), q.spec().range(),
                q.spec().zeroPoint()));
        ints.put(q.output(), IntValue.of(name, spec.scale(), q.spec()));
    }

    private void emitLayer(Node n) {
        OutputPoint output = outputPoint(n);
        SimQuantizeNode point = output.point();
        IntValue x = intOf(n.inputs().get(0), "input of " + n.name());
        SimQuantizeNode wq = (SimQuantizeNode) g.producer(n.inputs().get(1)).orElseThrow();
        String outName = intName(point.output());
        Optional<SimQuantizeNode> bq = n.inputs().size() > 2 && !n.inputs().get(2).isEmpty()
                ? Optional.of(biasPoint(n, n.inputs().get(2), x, wq)) : Optional.empty();
        Node layer = LayerRealizer.realize(n, x, wq, g.initializers().get(wq.input()), bq, output, outName, inits);
        out.add(layer);
        ints.put(point.output(), IntValue.of(outName, new QuantSpecView(point).scale(), point.spec()));
    }

    /**
     * The quantization point of a layer's bias: its SimQuantize, or, for a pre-quantized file
     * whose bias is a plain fp32 constant, an int32 point at the accumulator's scale
     * float32(s_x * s_w[o]), as qtune's own annotate would give it.
     */
    private SimQuantizeNode biasPoint(Node n, String bias, IntValue x, SimQuantizeNode wq) {
        Optional<Node> producer = g.producer(bias);
        if (producer.isPresent() && producer.get() instanceof SimQuantizeNode q) {
            return q;
        }
        if (producer.isPresent() || !g.initializers().containsKey(bias)) {
            throw new QtuneException("realize: the bias '" + bias + "' of " + n.opType() + " node '" + n.name()
                    + "' must be a constant or quantized, but is computed by " + producer.map(Node::name).orElse("nothing"));
        }
        List<Float> scales = new ArrayList<>();
        for (float sw : wq.spec().scaleArray()) {
            scales.add(x.scale() * sw);
        }
        QuantSpec spec = new QuantSpec(QuantRole.BIAS, DType.I32, IntRange.BIAS, scales.size() > 1 ? 0 : -1,
                wq.spec().config(), scales);
        return new SimQuantizeNode(n.name() + "/bias/simq", List.of(bias), bias + "/q@" + n.name(), bias, spec);
    }

    private void merge(Node n) {
        if (!n.inputs().stream().allMatch(ints::containsKey)) {
            fp32(n);
            return;
        }
        OutputPoint output = outputPoint(n);
        SimQuantizeNode point = output.point();
        float sy = new QuantSpecView(point).scale();
        List<FixedPointMultiplier> ms = new ArrayList<>();
        List<String> ins = new ArrayList<>();
        List<Integer> zeroPoints = new ArrayList<>();
        for (String v : n.inputs()) {
            IntValue iv = ints.get(v);
            ms.add(FixedPointMultiplier.of((double) iv.scale() / sy));
            ins.add(iv.name());
            zeroPoints.add(iv.zeroPoint());
        }
        Requantize rq = LayerRealizer.requantize(ms, output);
        String outName = intName(point.output());
        out.add(n instanceof BinaryNode ? new QAddNode(n.name(), ins, outName, rq, zeroPoints)
                : new QConcatNode(n.name(), ins, outName, ((dev.qtune.compiler.ir.ConcatNode) n).axis(), rq, zeroPoints));
        ints.put(point.output(), IntValue.of(outName, sy, point.spec()));
    }

    /** A layer's output quantization point and the Relu or Clip the layer fuses before it, if any. */
    record OutputPoint(SimQuantizeNode point, Optional<FusedActivation> activation) {
    }

    /** The quantization point of a layer's output: a SimQuantize reading it, or reading the Relu or Clip it fuses. */
    private OutputPoint outputPoint(Node n) {
        List<Node> readers = g.consumers(n.output());
        Optional<FusedActivation> activation = FusedActivation.reading(g, n.output());
        if (activation.isPresent()) {
            consumed.add(activation.get().node().name());
            readers = g.consumers(activation.get().output());
        }
        Optional<Node> point = readers.stream().filter(r -> r instanceof SimQuantizeNode).findFirst();
        if (readers.size() != 1 || point.isEmpty()) {
            throw new QtuneException("realize: the output of " + n.opType() + " node '" + n.name()
                    + "' must have exactly one quantization point as its reader, but its readers are "
                    + readers.stream().map(Node::name).toList());
        }
        consumed.add(point.get().name());
        return new OutputPoint((SimQuantizeNode) point.get(), activation);
    }

    private void passThrough(Node n) {
        String in = n.inputs().get(0);
        if (!ints.containsKey(in)) {
            fp32(n);
            return;
        }
        IntValue iv = ints.get(in);
        if (n instanceof ReluNode && iv.zeroPoint() != 0) {
            // max(q, 0) is a Relu only where real 0 is integer 0: run it in fp32 (exact) instead.
            fp32(n);
            return;
        }
        List<String> ins = new ArrayList<>(n.inputs());
        ins.set(0, iv.name());
        String outName = intName(n.output());
        Node e = n.withInputs(ins);
        if (e instanceof AvgPool2dNode p) {
            e = p.withZeroPoint(iv.zeroPoint());
        } else if (e instanceof GlobalAvgPoolNode p) {
            e = p.withZeroPoint(iv.zeroPoint());
        }
        if (!outName.equals(n.output())) {
            e = dev.qtune.compiler.ir.NodeOutputs.withOutput(e, outName);
        }
        out.add(e);
        ints.put(n.output(), iv.renamed(outName));
    }

    private void fp32(Node n) {
        List<String> ins = new ArrayList<>();
        for (String v : n.inputs()) {
            ins.add(v.isEmpty() ? v : floatOf(v));
        }
        out.add(ins.equals(n.inputs()) ? n : n.withInputs(ins));
        n.outputs().forEach(o -> floats.put(o, o));
    }

    /** The fp32 form of a value, dequantizing its integer form the first time it is needed. */
    private String floatOf(String v) {
        String f = floats.get(v);
        if (f != null) {
            return f;
        }
        IntValue iv = intOf(v, "value");
        String name = v + "/dq";
        out.add(new DequantizeNode(v + "/dequantize", List.of(iv.name()), name, iv.scale(), iv.zeroPoint()));
        floats.put(v, name);
        return name;
    }
}

package dev.qtune.compiler.quant;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.DequantizeNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.IdentityNode;
import dev.qtune.compiler.ir.Node;
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

/**
 * One run of {@link QuantizeRealizePass} over an annotated, calibrated graph: the driver that
 * applies each node's {@link RealizeRules rule} in order and knows no op by name. It holds the
 * realized nodes so far and, per annotated value, its integer form (name, scale, zero point) or
 * its fp32 form; the rules read and extend them through the package-private methods below.
 */
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
            if (!consumed.contains(n.name())) {
                RealizeRules.of(n).realize(n, this);
            }
        }
        for (ValueInfo o : g.outputs()) {
            String v = o.name();
            if (floats.containsKey(v)) {
                if (!floats.get(v).equals(v)) {
                    out.add(new IdentityNode(v + "/out", List.of(floats.get(v)), v));
                }
            } else {
                IntValue iv = intOf(v, "graph output");
                out.add(new DequantizeNode(v + "/dequantize", List.of(iv.name()), v, iv.scale(), iv.zeroPoint()));
            }
        }
        Graph realized = g.withNodes(out).withInitializers(inits).withTypes(Map.of());
        return new EliminateDeadCodePass().run(realized);
    }

    /** The annotated graph. */
    Graph graph() {
        return g;
    }

    /** Appends a node to the realized graph. */
    void emit(Node n) {
        out.add(n);
    }

    /** An initializer of the realized graph (the annotated graph's, or one a rule added). */
    Tensor initializer(String name) {
        return inits.get(name);
    }

    void addInitializer(String name, Tensor t) {
        inits.put(name, t);
    }

    /** The name in the realized graph of the integer form of an annotated value (graph outputs keep theirs for the fp32 form). */
    String intName(String annotatedName) {
        return graphOutputs.contains(annotatedName) ? annotatedName + "/int" : annotatedName;
    }

    boolean hasInt(String v) {
        return ints.containsKey(v);
    }

    /** The integer form of an annotated value; fails naming {@code what} when it has none. */
    IntValue intOf(String v, String what) {
        IntValue iv = ints.get(v);
        if (iv == null) {
            throw new QtuneException("realize: " + what + " '" + v + "' has no integer form");
        }
        return iv;
    }

    /** Records the integer form of an annotated value. */
    void defineInt(String v, IntValue iv) {
        ints.put(v, iv);
    }

    /**
     * The quantization point of a layer's output: a SimQuantize reading it, or reading the Relu or
     * Clip it fuses. Both are consumed: the layer's rule realizes them.
     */
    OutputPoint outputPoint(Node n) {
        List<Node> readers = g.consumers(n.output());
        Optional<FusedActivation> activation = FusedActivation.reading(g, n.output());
        if (activation.isPresent()) {
            consumed.add(activation.get().node().name());
            readers = g.consumers(activation.get().output());
        }
        Optional<Node> point =
                readers.stream().filter(r -> r instanceof SimQuantizeNode).findFirst();
        if (readers.size() != 1 || point.isEmpty()) {
            throw new QtuneException("realize: the output of " + n.opType() + " node '" + n.name()
                    + "' must have exactly one quantization point as its reader, but its readers are "
                    + readers.stream().map(Node::name).toList());
        }
        consumed.add(point.get().name());
        return new OutputPoint((SimQuantizeNode) point.get(), activation);
    }

    /** Emits {@code n} as it is, in fp32, reading the fp32 form of its inputs. */
    void fp32(Node n) {
        List<String> ins = new ArrayList<>();
        for (String v : n.inputs()) {
            ins.add(v.isEmpty() ? v : floatOf(v));
        }
        out.add(ins.equals(n.inputs()) ? n : n.withInputs(ins));
        n.outputs().forEach(o -> floats.put(o, o));
    }

    /** The fp32 form of a value, dequantizing its integer form the first time it is needed. */
    String floatOf(String v) {
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

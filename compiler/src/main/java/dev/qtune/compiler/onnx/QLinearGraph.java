package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.AttributeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ValueInfoProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the rules of one {@link QLinearExpander} run share: the file's graph (its initializers,
 * producers, readers and node names), the integer tensors found so far, the nodes and initializers
 * emitted, and the one DequantizeLinear that each integer tensor is read through.
 */
final class QLinearGraph {
    private final GraphProto gp;
    private final int opset;
    private final String source;
    private final Map<String, TensorProto> initializerProtos = new HashMap<>();
    private final Map<String, Tensor> decoded = new HashMap<>();
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Map<String, List<NodeProto>> readers = new HashMap<>();
    private final Map<NodeProto, String> names = new IdentityHashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();
    private final Map<String, IntegerTensor> integers = new HashMap<>();
    private final Map<String, String> dequantized = new HashMap<>();
    private final Set<NodeProto> consumed = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<NodeProto> nodes = new ArrayList<>();
    private final Map<String, TensorProto> added = new LinkedHashMap<>();
    private final FreshNames taken = new FreshNames();

    QLinearGraph(GraphProto gp, int opset, String source) {
        this.gp = gp;
        this.opset = opset;
        this.source = source;
        Set<String> nodeNames = new HashSet<>();
        for (int i = 0; i < gp.getNodeCount(); i++) {
            NodeProto n = gp.getNode(i);
            names.put(n, OnnxImporter.uniqueName(n, i, nodeNames));
            n.getInputList()
                    .forEach(v ->
                            readers.computeIfAbsent(v, k -> new ArrayList<>()).add(n));
            n.getOutputList().forEach(v -> producers.put(v, n));
            taken.takeAll(n.getOutputList());
        }
        taken.takeAll(nodeNames);
        for (TensorProto t : gp.getInitializerList()) {
            initializerProtos.put(t.getName(), t);
            taken.take(t.getName());
        }
        gp.getInputList().forEach(v -> taken.take(v.getName()));
        gp.getOutputList().forEach(v -> graphOutputs.add(v.getName()));
    }

    /** The node's name as the importers give it: its own, or "OpType_index" in the file's order. */
    String nameOf(NodeProto n) {
        return names.get(n);
    }

    ImportContext context(NodeProto n) {
        return ImportContext.of(n, nameOf(n), opset, source);
    }

    List<NodeProto> readers(String value) {
        return readers.getOrDefault(value, List.of());
    }

    boolean isGraphOutput(String value) {
        return graphOutputs.contains(value);
    }

    Optional<IntegerTensor> integer(String value) {
        return Optional.ofNullable(integers.get(value));
    }

    void addInteger(IntegerTensor t) {
        integers.put(t.name(), t);
    }

    /** The value of initializer {@code name}, or an error saying what {@code what} is instead. */
    Tensor constant(String name, String what, ImportContext c) {
        return decode(name)
                .orElseThrow(() -> c.error(
                        what + " '" + name + "' must be a constant (an initializer), but is " + describe(name)));
    }

    private Optional<Tensor> decode(String name) {
        TensorProto proto = initializerProtos.get(name);
        if (proto == null) {
            return Optional.empty();
        }
        return Optional.of(
                decoded.computeIfAbsent(name, k -> OnnxTensors.toTensor(proto, source + ": initializer '" + k + "'")));
    }

    boolean isInitializer(String name) {
        return initializerProtos.containsKey(name);
    }

    /** What produces {@code value}, for messages: "the output of Mul node 'm'", "a graph input", ... */
    String describe(String value) {
        NodeProto p = producers.get(value);
        if (p != null) {
            return "the output of " + p.getOpType() + " node '" + nameOf(p) + "'";
        }
        if (initializerProtos.containsKey(value)) {
            return "an initializer";
        }
        boolean input = gp.getInputList().stream().map(ValueInfoProto::getName).anyMatch(value::equals);
        return input ? "a graph input" : "not defined in the graph";
    }

    Optional<NodeProto> producer(String value) {
        return Optional.ofNullable(producers.get(value));
    }

    /**
     * Whether two scale or zero-point inputs hold the same constant: the same name, or initializers
     * with equal type, shape and values. An absent zero point ("") equals one whose values are all 0.
     */
    boolean sameConstant(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        if (a.isEmpty() || b.isEmpty()) {
            return decode(a.isEmpty() ? b : a).filter(QLinearGraph::allZero).isPresent();
        }
        Optional<Tensor> ta = decode(a);
        return ta.isPresent() && ta.equals(decode(b));
    }

    private static boolean allZero(Tensor t) {
        return t.dtype().isInteger() && Arrays.stream(t.ints()).allMatch(v -> v == 0);
    }

    /**
     * The float value of integer tensor {@code t}: the output of its one DequantizeLinear, emitted
     * here the first time it is asked for (with {@code t}'s scale, zero point and axis).
     */
    String dequantized(IntegerTensor t) {
        String f = dequantized.get(t.name());
        if (f != null) {
            return f;
        }
        f = fresh(t.name() + "/dequantized");
        List<String> inputs =
                t.zeroPoint().isEmpty() ? List.of(t.name(), t.scale()) : List.of(t.name(), t.scale(), t.zeroPoint());
        emit(QuantizedOps.DEQUANTIZE, fresh(t.name() + "/DequantizeLinear"), inputs, List.of(f), t.attributes());
        dequantized.put(t.name(), f);
        return f;
    }

    /** The shared float value of {@code t}, if a DequantizeLinear of it was emitted. */
    Optional<String> sharedDequantized(String integerTensor) {
        return Optional.ofNullable(dequantized.get(integerTensor));
    }

    /** Records that the file's own DequantizeLinear of {@code integerTensor}, already emitted, is its shared one. */
    void shareDequantized(String integerTensor, String floatValue) {
        dequantized.put(integerTensor, floatValue);
    }

    /**
     * Emits DequantizeLinear of the constant integers {@code integers} with {@code scale} and
     * {@code zeroPoint} ("" for none), along {@code axis} unless it is -1, named after {@code base};
     * returns its float output.
     */
    String dequantizedConstant(String base, String integers, String scale, String zeroPoint, int axis) {
        String output = fresh(base + "/dequantized");
        List<String> inputs = zeroPoint.isEmpty() ? List.of(integers, scale) : List.of(integers, scale, zeroPoint);
        emit(
                QuantizedOps.DEQUANTIZE,
                fresh(base + "/DequantizeLinear"),
                inputs,
                List.of(output),
                axis < 0 ? List.of() : List.of(OnnxAttrs.i("axis", axis)));
        return output;
    }

    /** QuantizeLinear of {@code floatValue} to the file's integer tensor {@code t}, which it registers. */
    void quantize(String nodeName, String floatValue, IntegerTensor t) {
        List<String> inputs = t.zeroPoint().isEmpty()
                ? List.of(floatValue, t.scale())
                : List.of(floatValue, t.scale(), t.zeroPoint());
        emit(QuantizedOps.QUANTIZE, fresh(nodeName + "/QuantizeLinear"), inputs, List.of(t.name()), t.attributes());
        addInteger(t);
    }

    void emit(String opType, String name, List<String> inputs, List<String> outputs, List<AttributeProto> attributes) {
        nodes.add(NodeProto.newBuilder()
                .setOpType(opType)
                .setName(name)
                .addAllInput(inputs)
                .addAllOutput(outputs)
                .addAllAttribute(attributes)
                .build());
    }

    /** Emits a node of the file under {@code name}, the name the importers give it. */
    void emit(NodeProto n, String name) {
        nodes.add(n.getName().equals(name) ? n : n.toBuilder().setName(name).build());
    }

    /** Adds an initializer under a fresh name derived from {@code base}; returns the name. */
    String initializer(String base, Tensor value) {
        String name = fresh(base);
        added.put(name, OnnxTensors.toProto(name, value));
        initializerProtos.put(name, added.get(name));
        decoded.put(name, value);
        return name;
    }

    /** A name that no value, node or initializer of the graph has yet: {@code base}, else base_2, ... */
    String fresh(String base) {
        return taken.fresh(base);
    }

    /** Marks a node of the file as replaced by an expansion: the expander skips it. */
    void consume(NodeProto n) {
        consumed.add(n);
    }

    boolean isConsumed(NodeProto n) {
        return consumed.contains(n);
    }

    /** The file's graph with the emitted nodes and the added initializers. */
    GraphProto result() {
        return gp.toBuilder()
                .clearNode()
                .addAllNode(nodes)
                .addAllInitializer(added.values())
                .build();
    }
}

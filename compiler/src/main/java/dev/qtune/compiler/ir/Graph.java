package dev.qtune.compiler.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable dataflow graph: typed inputs, named outputs, constant initializers and nodes in
 * topological order. {@code types} holds the inferred type of every value once InferTypes has run
 * (empty before); {@code applied} names the passes that produced this graph, so that a pass run
 * out of order can say which pass must run first. A pass returns a new graph.
 */
public record Graph(
        String name,
        int opset,
        List<ValueInfo> inputs,
        List<ValueInfo> outputs,
        Map<String, Tensor> initializers,
        List<Node> nodes,
        Map<String, TensorType> types,
        Set<String> applied) {
    public Graph {
        if (name == null) {
            name = "";
        }
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
        nodes = List.copyOf(nodes);
        types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
        applied = Collections.unmodifiableSet(new LinkedHashSet<>(applied));
    }

    public Graph withNodes(List<Node> newNodes) {
        return new Graph(name, opset, inputs, outputs, initializers, newNodes, types, applied);
    }

    public Graph withInitializers(Map<String, Tensor> newInitializers) {
        return new Graph(name, opset, inputs, outputs, newInitializers, nodes, types, applied);
    }

    public Graph withOutputs(List<ValueInfo> newOutputs) {
        return new Graph(name, opset, inputs, newOutputs, initializers, nodes, types, applied);
    }

    public Graph withTypes(Map<String, TensorType> newTypes) {
        return new Graph(name, opset, inputs, outputs, initializers, nodes, newTypes, applied);
    }

    /** This graph marked as having been through the named pass. */
    public Graph withApplied(String passName) {
        Set<String> more = new LinkedHashSet<>(applied);
        more.add(passName);
        return new Graph(name, opset, inputs, outputs, initializers, nodes, types, more);
    }

    public boolean isInitializer(String value) {
        return initializers.containsKey(value);
    }

    public Optional<Tensor> constant(String value) {
        return Optional.ofNullable(initializers.get(value));
    }

    /** The inferred type of a value; fails if InferTypes has not typed it. */
    public TensorType type(String value) {
        TensorType t = types.get(value);
        if (t == null) {
            Tensor c = initializers.get(value);
            if (c != null) {
                return c.type();
            }
            throw new IllegalStateException("value '" + value + "' has no inferred type: run InferTypes first");
        }
        return t;
    }

    public List<String> outputNames() {
        return outputs.stream().map(ValueInfo::name).toList();
    }

    /** The node that produces {@code value}, if a node does. */
    public Optional<Node> producer(String value) {
        for (Node n : nodes) {
            if (n.outputs().contains(value)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /** The nodes that read {@code value}, in graph order. */
    public List<Node> consumers(String value) {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n.inputs().contains(value)) {
                out.add(n);
            }
        }
        return out;
    }

    /** Number of readers of a value, counting graph outputs as readers. */
    public int useCount(String value) {
        int uses = outputNames().contains(value) ? 1 : 0;
        for (Node n : nodes) {
            for (String in : n.inputs()) {
                if (in.equals(value)) {
                    uses++;
                }
            }
        }
        return uses;
    }

    public Node node(String nodeName) {
        return nodes.stream()
                .filter(n -> n.name().equals(nodeName))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalArgumentException("graph '" + name + "' has no node named '" + nodeName + "'"));
    }
}

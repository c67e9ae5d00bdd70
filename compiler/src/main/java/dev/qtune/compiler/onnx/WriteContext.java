package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.AttributeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorProto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the node writers of one {@link OnnxWriter} run share: the graph being written, the ONNX
 * nodes emitted so far, the initializers they added, and the names taken (so that every new value,
 * node or initializer gets a fresh one).
 */
final class WriteContext {
    private final Graph graph;
    private final String source;
    private final List<NodeProto> nodes = new ArrayList<>();
    private final Map<String, TensorProto> added = new LinkedHashMap<>();
    private final FreshNames names = new FreshNames();

    WriteContext(Graph graph, String source) {
        this.graph = graph;
        this.source = source;
        graph.inputs().forEach(v -> names.take(v.name()));
        names.takeAll(graph.initializers().keySet());
        for (Node n : graph.nodes()) {
            names.take(n.name());
            names.takeAll(n.outputs());
        }
    }

    Graph graph() {
        return graph;
    }

    /** Names the graph in error messages, e.g. "graph 'resnet8' (simulated)". */
    String source() {
        return source;
    }

    /** Emits an ONNX node of {@code opType} with the IR node's name, inputs and outputs. */
    void emit(Node n, String opType, AttributeProto... attributes) {
        emit(opType, n.name(), n.inputs(), n.outputs(), attributes);
    }

    void emit(String opType, String name, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
        NodeProto.Builder b = NodeProto.newBuilder()
                .setOpType(opType)
                .setName(name)
                .addAllInput(inputs)
                .addAllOutput(outputs);
        for (AttributeProto a : attributes) {
            b.addAttribute(a);
        }
        nodes.add(b.build());
    }

    /** Adds an initializer under a fresh name derived from {@code base}; returns the name. */
    String initializer(String base, Tensor value) {
        String name = fresh(base);
        added.put(name, OnnxTensors.toProto(name, value));
        return name;
    }

    /** A name no value, node or initializer of the written model has yet: {@code base}, else base_2, ... */
    String fresh(String base) {
        return names.fresh(base);
    }

    List<NodeProto> nodes() {
        return List.copyOf(nodes);
    }

    Map<String, TensorProto> addedInitializers() {
        return new LinkedHashMap<>(added);
    }

    OnnxExportException error(Node n, String message) {
        return new OnnxExportException(source + ": " + n.opType() + " node '" + n.name() + "' " + message);
    }
}

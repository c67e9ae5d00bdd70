package dev.qtune.compiler.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.AttributeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.OperatorSetIdProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorProto;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A small hand-built model with quantized operators, for {@link QLinearExpander} tests, and
 * questions about an expanded graph (the node writing a value, the nodes reading it, the value of
 * an initializer).
 */
final class QOperatorNet {
    private final GraphProto.Builder g = OnnxModels.graph("qoperators");

    QOperatorNet input(String name, long... dims) {
        g.addInput(OnnxModels.value(name, OnnxModels.FLOAT, dims));
        return this;
    }

    QOperatorNet output(String name, long... dims) {
        g.addOutput(OnnxModels.value(name, OnnxModels.FLOAT, dims));
        return this;
    }

    QOperatorNet floats(String name, long[] dims, float... values) {
        return constant(name, Tensor.ofFloats(shape(dims), values));
    }

    QOperatorNet ints(String name, DType dtype, long[] dims, int... values) {
        return constant(name, Tensor.ofInts(dtype, shape(dims), values));
    }

    QOperatorNet constant(String name, Tensor value) {
        g.addInitializer(OnnxTensors.toProto(name, value));
        return this;
    }

    QOperatorNet node(String op, String name, List<String> inputs, String output, AttributeProto... attributes) {
        g.addNode(OnnxModels.node(op, name, inputs, List.of(output), attributes));
        return this;
    }

    /** A node as built, e.g. one with several outputs. */
    QOperatorNet node(NodeProto n) {
        g.addNode(n);
        return this;
    }

    /** Changes node {@code name}. */
    QOperatorNet edit(String name, UnaryOperator<NodeProto> change) {
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (g.getNode(i).getName().equals(name)) {
                g.setNode(i, change.apply(g.getNode(i)));
                return this;
            }
        }
        throw new IllegalArgumentException("no node " + name);
    }

    /** Node {@code name} reading {@code value} as input {@code index} instead. */
    QOperatorNet rewire(String name, int index, String value) {
        return edit(name, n -> n.toBuilder().setInput(index, value).build());
    }

    /** A node of ONNX Runtime's com.microsoft domain. */
    QOperatorNet contrib(String op, String name, List<String> inputs, String output, AttributeProto... attributes) {
        g.addNode(OnnxModels.node(op, name, inputs, List.of(output), attributes).toBuilder()
                .setDomain("com.microsoft"));
        return this;
    }

    ModelProto model() {
        return OnnxModels.model(13, g).toBuilder()
                .addOpsetImport(OperatorSetIdProto.newBuilder()
                        .setDomain("com.microsoft")
                        .setVersion(1))
                .build();
    }

    GraphProto expanded() {
        return QLinearExpander.expand(g.build(), 13, "test.onnx");
    }

    static Shape shape(long... dims) {
        int[] d = new int[dims.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (int) dims[i];
        }
        return Shape.of(d);
    }

    static long[] dims(long... dims) {
        return dims;
    }

    /** The one node of {@code g} that writes {@code value}. */
    static NodeProto producer(GraphProto g, String value) {
        List<NodeProto> writers = g.getNodeList().stream()
                .filter(n -> n.getOutputList().contains(value))
                .toList();
        assertEquals(1, writers.size(), "writers of " + value);
        return writers.get(0);
    }

    /** The nodes of {@code g} that read {@code value}. */
    static List<NodeProto> readers(GraphProto g, String value) {
        return g.getNodeList().stream()
                .filter(n -> n.getInputList().contains(value))
                .toList();
    }

    static Tensor initializer(GraphProto g, String name) {
        TensorProto t = g.getInitializerList().stream()
                .filter(i -> i.getName().equals(name))
                .findFirst()
                .orElseThrow();
        return OnnxTensors.toTensor(t, name);
    }

    static long intAttribute(NodeProto n, String name) {
        return n.getAttributeList().stream()
                .filter(a -> a.getName().equals(name))
                .findFirst()
                .orElseThrow()
                .getI();
    }

    static boolean hasAttribute(NodeProto n, String name) {
        return n.getAttributeList().stream().anyMatch(a -> a.getName().equals(name));
    }
}

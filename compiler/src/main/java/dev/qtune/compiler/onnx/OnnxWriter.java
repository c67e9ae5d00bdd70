package dev.qtune.compiler.onnx;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.ValueInfo;
import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.OperatorSetIdProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorShapeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TypeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ValueInfoProto;
import dev.qtune.compiler.pass.InferTypesPass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an IR {@link Graph} as an ONNX model (opset {@value #OPSET} of the default domain, IR
 * version {@value #IR_VERSION}): one ONNX node per IR node ({@link OnnxWriteRules}; SimQuantize
 * as QuantizeLinear/DequantizeLinear), the constants the nodes read as initializers (raw
 * little-endian data, bit for bit), and the graph inputs and outputs with their types, a dynamic
 * dimension written as the symbolic dimension {@code batch} (axis 0) or {@code dim<i>}.
 * {@link OnnxImporter} reads what this writes back into an equal graph.
 */
public final class OnnxWriter {
    /** The producer_name of the files qtune writes. */
    public static final String PRODUCER = "qtune";

    public static final int OPSET = 13;
    public static final int IR_VERSION = 8;

    private static final Logger LOG = LoggerFactory.getLogger(OnnxWriter.class);

    private OnnxWriter() {}

    /** The model as an ONNX ModelProto; the graph is typed first if InferTypes has not run. */
    public static ModelProto toProto(Graph graph) {
        Graph g = graph.types().isEmpty() ? InferTypesPass.infer(graph) : graph;
        String source = "graph '" + g.name() + "'";
        WriteContext c = new WriteContext(g, source);
        for (Node n : g.nodes()) {
            OnnxWriteRules.rule(n)
                    .orElseThrow(() -> c.error(
                            n,
                            "has no ONNX writer rule (qtune writes "
                                    + String.join(", ", OnnxWriteRules.supportedOps())
                                    + "; to export a quantized model, write "
                                    + "its simulated graph)"))
                    .write(n, c);
        }
        GraphProto.Builder gb = GraphProto.newBuilder().setName(g.name());
        for (ValueInfo v : g.inputs()) {
            gb.addInput(valueInfo(v));
        }
        for (ValueInfo v : g.outputs()) {
            gb.addOutput(valueInfo(v));
        }
        gb.addAllNode(c.nodes());
        Set<String> read = new HashSet<>(g.outputNames());
        for (NodeProto n : c.nodes()) {
            read.addAll(n.getInputList());
        }
        for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
            if (read.contains(e.getKey())) {
                gb.addInitializer(OnnxTensors.toProto(e.getKey(), e.getValue()));
            }
        }
        gb.addAllInitializer(c.addedInitializers().values());
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName(PRODUCER)
                .setProducerVersion("0.1.0")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(gb)
                .build();
    }

    public static byte[] toBytes(Graph graph) {
        return toProto(graph).toByteArray();
    }

    /** Writes the model to {@code file} (parent folders are created). */
    public static void write(Graph graph, Path file) {
        byte[] bytes = toBytes(graph);
        writeFile(bytes, file);
        LOG.info("wrote {} ({} nodes, {} bytes)", file, graph.nodes().size(), bytes.length);
    }

    /** Writes a serialised model to {@code file}, creating parent folders; errors name the file. */
    static void writeFile(byte[] bytes, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new QtuneException("cannot write ONNX model " + file + ": " + e.getMessage(), e);
        }
    }

    private static ValueInfoProto valueInfo(ValueInfo v) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        Shape s = v.type().shape();
        for (int i = 0; i < s.rank(); i++) {
            TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
            if (s.dim(i) == Shape.DYNAMIC) {
                d.setDimParam(i == 0 ? "batch" : "dim" + i);
            } else {
                d.setDimValue(s.dim(i));
            }
            shape.addDim(d);
        }
        return ValueInfoProto.newBuilder()
                .setName(v.name())
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(OnnxTensors.onnxType(v.type().dtype()))
                                .setShape(shape)))
                .build();
    }
}

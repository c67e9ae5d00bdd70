package dev.qtune.compiler.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.qtune.compiler.InputLimits;
import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.GraphVerifier;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.TensorType;
import dev.qtune.compiler.ir.ValueInfo;
import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.OperatorSetIdProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TypeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ValueInfoProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ONNX model file into an fp32 {@link Graph}. Supports opsets 11 to 17 of the default
 * domain and the ops listed in {@link OnnxOpRules}; everything else is a clear
 * {@link OnnxImportException} naming the file, the node and what was found.
 */
public final class OnnxImporter {
    public static final int MIN_OPSET = 11;
    public static final int MAX_OPSET = 17;

    private OnnxImporter() {}

    public static Graph load(Path file) {
        return parse(readBytes(file), file.toString());
    }

    /** Parses the bytes of an ONNX file; {@code source} names it in error messages. */
    public static Graph parse(byte[] bytes, String source) {
        ModelProto model = parseModel(bytes, source);
        int opset = defaultOpset(model, source);
        return convertGraph(model.getGraph(), opset, source);
    }

    /** The bytes of a model file; errors name the file. */
    static byte[] readBytes(Path file) {
        try {
            return InputLimits.readFile(file, "model file", InputLimits.modelBytes(), InputLimits.MODEL_BYTES);
        } catch (QtuneException e) {
            throw new OnnxImportException(e.getMessage(), e.getCause());
        }
    }

    /** The ModelProto of an ONNX file's bytes, checked to have an IR version, opsets and a graph. */
    static ModelProto parseModel(byte[] bytes, String source) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxImportException(
                    source + " is not a valid ONNX model (truncated, or not an ONNX " + "protobuf file): "
                            + e.getMessage(),
                    e);
        }
        if (!model.hasGraph() || model.getIrVersion() <= 0 || model.getOpsetImportCount() == 0) {
            throw new OnnxImportException(source + " is not an ONNX model: expected ir_version, opset_import and "
                    + "a graph, but found" + (model.getIrVersion() <= 0 ? " no ir_version" : "")
                    + (model.getOpsetImportCount() == 0 ? " no opset_import" : "")
                    + (model.hasGraph() ? "" : " no graph"));
        }
        return model;
    }

    static int defaultOpset(ModelProto model, String source) {
        for (OperatorSetIdProto id : model.getOpsetImportList()) {
            if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
                long v = id.getVersion();
                if (v < MIN_OPSET || v > MAX_OPSET) {
                    throw new OnnxImportException(source + ": opset " + v + " of the default domain is not supported "
                            + "(qtune reads opsets " + MIN_OPSET + " to " + MAX_OPSET + ")");
                }
                return (int) v;
            }
        }
        throw new OnnxImportException(source + ": imports no opset of the default ONNX domain");
    }

    private static Graph convertGraph(GraphProto gp, int opset, String source) {
        if (gp.getNodeCount() > InputLimits.nodes()) {
            throw new OnnxImportException(source + ": the graph must have at most " + InputLimits.nodes()
                    + " nodes, but has " + gp.getNodeCount() + " (raise -D" + InputLimits.NODES + ")");
        }
        Map<String, Tensor> initializers = initializers(gp, source);
        List<ValueInfo> inputs = graphInputs(gp, initializers, source);
        List<ValueInfo> outputs = graphOutputs(gp, source);
        List<Node> nodes = new ArrayList<>();
        Set<String> usedNames = new HashSet<>();
        for (int i = 0; i < gp.getNodeCount(); i++) {
            nodes.add(convertNode(gp.getNode(i), uniqueName(gp.getNode(i), i, usedNames), opset, source));
        }
        return verified(
                new Graph(gp.getName(), opset, inputs, outputs, initializers, nodes, Map.of(), Set.of()), source);
    }

    /** The graph's initializers by name, in file order. */
    static Map<String, Tensor> initializers(GraphProto gp, String source) {
        Map<String, Tensor> initializers = new LinkedHashMap<>();
        for (TensorProto t : gp.getInitializerList()) {
            if (t.getName().isEmpty()) {
                throw new OnnxImportException(source + ": an initializer has no name");
            }
            initializers.put(t.getName(), OnnxTensors.toTensor(t, source + ": initializer '" + t.getName() + "'"));
        }
        return initializers;
    }

    /** The graph inputs that are not initializers. */
    static List<ValueInfo> graphInputs(GraphProto gp, Map<String, Tensor> initializers, String source) {
        List<ValueInfo> inputs = new ArrayList<>();
        for (ValueInfoProto v : gp.getInputList()) {
            if (!initializers.containsKey(v.getName())) {
                inputs.add(valueInfo(v, source + ": graph input '" + InputLimits.excerpt(v.getName()) + "'"));
            }
        }
        return inputs;
    }

    static List<ValueInfo> graphOutputs(GraphProto gp, String source) {
        List<ValueInfo> outputs = new ArrayList<>();
        for (ValueInfoProto v : gp.getOutputList()) {
            outputs.add(valueInfo(v, source + ": graph output '" + InputLimits.excerpt(v.getName()) + "'"));
        }
        return outputs;
    }

    /** The graph, checked by {@link GraphVerifier}; a failure names the file. */
    static Graph verified(Graph g, String source) {
        try {
            return GraphVerifier.verify(g);
        } catch (IllegalStateException e) {
            throw new OnnxImportException(source + ": " + e.getMessage() + " (truncated or corrupt file?)", e);
        }
    }

    /** The node's name, or "OpType_index" for an unnamed one, made unique among {@code usedNames}. */
    static String uniqueName(NodeProto n, int index, Set<String> usedNames) {
        String name = n.getName().isEmpty() ? n.getOpType() + "_" + index : n.getName();
        while (!usedNames.add(name)) {
            name = name + "_" + index;
        }
        return name;
    }

    /** Converts one node of the default domain by its rule in {@link OnnxOpRules}. */
    static Node convertNode(NodeProto n, String name, int opset, String source) {
        if (QuantizedOps.isQuantized(n.getOpType())) {
            throw new OnnxImportException(source + ": '" + n.getOpType() + "' (node '" + name + "') is a quantized op: "
                    + "this is a pre-quantized model, which QdqImporter reads (so far only `qtune inspect` and "
                    + "`qtune eval` take one)");
        }
        if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
            throw new OnnxImportException(source + ": unsupported op '" + n.getOpType() + "' of domain '"
                    + n.getDomain() + "' (node '" + name + "', opset " + opset + ")");
        }
        String nodeName = name;
        OnnxNodeConverter rule = OnnxOpRules.rule(n.getOpType())
                .orElseThrow(() -> new OnnxImportException(
                        source + ": unsupported op '" + n.getOpType() + "' (node '" + nodeName + "', opset " + opset
                                + "); supported ops: " + String.join(", ", OnnxOpRules.supportedOps())));
        ImportContext ctx = ImportContext.of(n, name, opset, source);
        try {
            return rule.convert(n, ctx);
        } catch (IllegalArgumentException e) {
            throw ctx.error(e.getMessage());
        }
    }

    private static ValueInfo valueInfo(ValueInfoProto v, String where) {
        TypeProto type = v.getType();
        if (!type.hasTensorType()) {
            throw new OnnxImportException(where + " must be a tensor, but its type is " + type.getValueCase());
        }
        TypeProto.Tensor tt = type.getTensorType();
        DType dtype = OnnxTensors.dtypeOf(tt.getElemType(), where);
        int[] dims = new int[tt.getShape().getDimCount()];
        long elements = 1;
        for (int i = 0; i < dims.length; i++) {
            var d = tt.getShape().getDim(i);
            long value = d.hasDimValue() && d.getDimValue() > 0 ? d.getDimValue() : Shape.DYNAMIC;
            if (value > Integer.MAX_VALUE) {
                throw new OnnxImportException(where + ": dimension " + i + " must be below 2^31, but was " + value);
            }
            dims[i] = (int) value;
            elements = value > 0 ? multiplyCapped(elements, value) : elements;
        }
        if (elements > InputLimits.elements()) {
            throw new OnnxImportException(where + ": shape "
                    + tt.getShape().getDimList().stream()
                            .map(d -> d.hasDimValue() ? Long.toString(d.getDimValue()) : "?")
                            .toList()
                    + " must have at most " + InputLimits.elements() + " elements (raise -D"
                    + InputLimits.ELEMENTS + ")");
        }
        return new ValueInfo(v.getName(), new TensorType(dtype, Shape.of(dims)));
    }

    /** {@code a * b}, or Long.MAX_VALUE where it would overflow. */
    private static long multiplyCapped(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}

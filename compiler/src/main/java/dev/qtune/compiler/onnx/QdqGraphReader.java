package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QuantRole;
import dev.qtune.compiler.ir.QuantSpec;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.quant.IntRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One reading of a QDQ graph (docs/formats.md, "Importing a QDQ model") into qtune's calibrated
 * simulated graph: each QuantizeLinear -> DequantizeLinear pair becomes an activation
 * SimQuantize with the file's scale; each DequantizeLinear of an integer initializer that is a
 * Conv, Gemm or MatMul's weight (input 1) or bias (input 2) becomes a weight or bias SimQuantize
 * over the dequantized values (which it rounds back to exactly the file's integers, checked here);
 * any other DequantizeLinear of an initializer is folded into an fp32 constant. Every other node
 * is imported as {@link OnnxImporter} does.
 */
final class QdqGraphReader {
    private final GraphProto gp;
    private final int opset;
    private final String source;
    private final boolean qtuneConvention;
    private final Map<String, Tensor> initializers;
    private final Map<String, List<NodeProto>> readers = new HashMap<>();
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();
    private final Set<String> pairedDequantizeOutputs = new HashSet<>();
    private final List<Node> nodes = new ArrayList<>();

    /**
     * {@code qtuneConvention}: the file was written by qtune, whose signed activations use the
     * symmetric range [-127, 127] (docs/integer-semantics.md) where QuantizeLinear's is [-128, 127].
     */
    QdqGraphReader(GraphProto gp, int opset, String source, boolean qtuneConvention) {
        this.gp = gp;
        this.opset = opset;
        this.source = source;
        this.qtuneConvention = qtuneConvention;
        this.initializers = new LinkedHashMap<>(OnnxImporter.initializers(gp, source));
        for (NodeProto n : gp.getNodeList()) {
            n.getInputList()
                    .forEach(v ->
                            readers.computeIfAbsent(v, k -> new ArrayList<>()).add(n));
            n.getOutputList().forEach(v -> producers.put(v, n));
        }
        gp.getOutputList().forEach(v -> graphOutputs.add(v.getName()));
    }

    /** The simulated graph, verified but not yet typed; every quantization point has the role ACTIVATION, WEIGHT or BIAS. */
    Graph read() {
        Set<String> usedNames = new HashSet<>();
        for (int i = 0; i < gp.getNodeCount(); i++) {
            NodeProto n = gp.getNode(i);
            String name = OnnxImporter.uniqueName(n, i, usedNames);
            if (n.getOpType().equals(QuantizedOps.QUANTIZE)) {
                activationPoint(n, ImportContext.of(n, name, opset, source));
            } else if (n.getOpType().equals(QuantizedOps.DEQUANTIZE)) {
                if (!pairedDequantizeOutputs.contains(n.getOutput(0))) {
                    constant(n, ImportContext.of(n, name, opset, source));
                }
            } else if (QuantizedOps.isUnsupported(n.getOpType())) {
                throw new OnnxImportException(source + ": unsupported quantized op '" + n.getOpType() + "' (node '"
                        + name + "'): qtune imports QDQ models (QuantizeLinear/DequantizeLinear around float ops) "
                        + "and the quantized operators "
                        + String.join(", ", QLinearRules.ops().stream().sorted().toList()));
            } else {
                nodes.add(OnnxImporter.convertNode(n, name, opset, source));
            }
        }
        Map<String, Tensor> inits = initializers;
        return OnnxImporter.verified(
                new Graph(
                        gp.getName(),
                        opset,
                        OnnxImporter.graphInputs(gp, inits, source),
                        OnnxImporter.graphOutputs(gp, source),
                        inits,
                        nodes,
                        Map.of(),
                        Set.of()),
                source);
    }

    /** QuantizeLinear and the DequantizeLinear that must be its only reader: one activation point. */
    private void activationPoint(NodeProto q, ImportContext c) {
        QdqParams params = QdqParams.of(q, initializers, -1, DType.U8, c);
        String integers = c.singleOutput(q);
        List<NodeProto> rs = readers.getOrDefault(integers, List.of());
        if (graphOutputs.contains(integers)
                || rs.size() != 1
                || !rs.get(0).getOpType().equals(QuantizedOps.DEQUANTIZE)
                || !rs.get(0).getInput(0).equals(integers)) {
            throw c.error("its output '" + integers + "' must be read by exactly one DequantizeLinear (qtune imports "
                    + "QuantizeLinear -> DequantizeLinear pairs), but is read by " + describe(rs)
                    + (graphOutputs.contains(integers) ? " and is a graph output" : ""));
        }
        NodeProto dq = rs.get(0);
        ImportContext dc =
                ImportContext.of(dq, dq.getName().isEmpty() ? "reading " + integers : dq.getName(), opset, source);
        QdqParams back = QdqParams.of(dq, initializers, -1, params.storage(), dc);
        if (!back.sameAs(params)) {
            throw dc.error("must dequantize with the scale and zero point of QuantizeLinear node '" + c.nodeName()
                    + "' (scale " + params.scale() + ", zero point " + params.zeroPoint() + " " + params.storage()
                    + "), but has scale " + back.scale() + ", zero point " + back.zeroPoint() + " " + back.storage());
        }
        if (params.storage() != DType.I8 && params.storage() != DType.U8) {
            throw c.error("must quantize to int8 or uint8, but its zero point is " + params.storage());
        }
        String x = q.getInput(0);
        String output = dc.singleOutput(dq);
        pairedDequantizeOutputs.add(output);
        QuantSpec spec = new QuantSpec(
                QuantRole.ACTIVATION,
                params.storage(),
                activationRange(params.storage(), params.zeroPoint(), x),
                -1,
                QdqConstants.activationConfig(),
                List.of(params.scale()),
                params.zeroPoint());
        nodes.add(new SimQuantizeNode(c.nodeName(), List.of(x), output, x, spec));
    }

    /**
     * The range of an activation with zero point {@code z}: after a Relu [z, max of the type] (so
     * that a Relu the integer layer fuses stays a clamp at real 0; exact, since QuantizeLinear of a
     * value >= 0 is >= z); else uint8 [0, 255], int8 [-127, 127] in qtune's files and
     * QuantizeLinear's [-128, 127] in others.
     */
    private IntRange activationRange(DType storage, int z, String x) {
        int max = (int) storage.max();
        NodeProto producer = producers.get(x);
        if (producer != null && producer.getOpType().equals("Relu")) {
            return new IntRange(z, max);
        }
        if (storage == DType.U8) {
            return IntRange.unsigned(8);
        }
        return qtuneConvention ? IntRange.signed(8) : new IntRange(-128, 127);
    }

    /** DequantizeLinear of an integer initializer: a layer's weight or bias point, or an fp32 constant. */
    private void constant(NodeProto dq, ImportContext c) {
        String x = dq.getInput(0);
        Tensor q = initializers.get(x);
        if (q == null) {
            throw c.error("reads '" + x + "', which is neither an initializer nor the output of a QuantizeLinear "
                    + "(integer graph inputs are not supported)");
        }
        if (!q.dtype().isInteger()) {
            throw c.error("must read an integer tensor, but '" + x + "' is " + q.dtype());
        }
        QdqParams params = QdqParams.of(dq, initializers, q.shape().rank(), q.dtype(), c);
        if (params.storage() != q.dtype()) {
            throw c.error("zero point type " + params.storage() + " must equal the type of '" + x + "', " + q.dtype());
        }
        if (params.axis() >= 0 && q.shape().dim(params.axis()) != params.scales().length) {
            throw c.error("has " + params.scales().length + " scales along axis " + params.axis() + ", but '" + x
                    + "' has " + q.shape().dim(params.axis()) + " elements there (shape " + q.shape() + ")");
        }
        String output = c.singleOutput(dq);
        List<NodeProto> rs = readers.getOrDefault(output, List.of());
        int slot = rs.size() == 1 && !graphOutputs.contains(output) ? QdqLayerSlots.slot(rs.get(0), output) : -1;
        Tensor values = QdqConstants.dequantize(q, params);
        if (slot < 0) {
            initializers.put(output, values);
            return;
        }
        NodeProto layer = rs.get(0);
        // A weight's zero point is folded into its integers (q - z, symmetric from here on).
        Tensor integers = slot == QdqLayerSlots.WEIGHT ? QdqConstants.weightIntegers(q, params, layer, c) : q;
        QuantSpec spec = slot == QdqLayerSlots.WEIGHT
                ? QdqConstants.weightSpec(integers, params, layer, c)
                : QdqConstants.biasSpec(q, params, layer, c);
        QdqConstants.checkExact(integers, values, spec, c);
        String dequantized = output + "/dequantized";
        initializers.put(dequantized, values);
        nodes.add(new SimQuantizeNode(c.nodeName(), List.of(dequantized), output, x, spec));
    }

    private static String describe(List<NodeProto> nodes) {
        return nodes.isEmpty()
                ? "no node"
                : nodes.stream()
                        .map(n -> n.getOpType() + " '" + n.getName() + "'")
                        .toList()
                        .toString();
    }
}

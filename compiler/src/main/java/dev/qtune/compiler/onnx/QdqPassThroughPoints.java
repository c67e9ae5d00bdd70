package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QuantRole;
import dev.qtune.compiler.ir.QuantSpec;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.pass.InferTypesPass;
import dev.qtune.compiler.quant.AnnotateRule;
import dev.qtune.compiler.quant.AnnotateRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives every pass-through op (MaxPool, Relu, Flatten, Reshape, Identity) that reads a quantized
 * value a quantization point of its own, with its input's scale and range (role INHERIT), so that
 * the ONNX model has the DequantizeLinear -> op -> QuantizeLinear shape ONNX Runtime's QDQ
 * optimiser looks for. In qtune's simulated graph these ops read and write values on the input's
 * grid, so the added points change no value: rint(fl(q * s) / s) = q for every |q| < 2^22.
 */
final class QdqPassThroughPoints {
    private QdqPassThroughPoints() {}

    static Graph insert(Graph simulated) {
        Map<String, QuantSpec> quantized = new HashMap<>();
        Map<String, String> renamed = new HashMap<>();
        Set<String> outputs = new HashSet<>(simulated.outputNames());
        List<Node> nodes = new ArrayList<>();
        for (Node n : simulated.nodes()) {
            List<String> ins = new ArrayList<>();
            for (String v : n.inputs()) {
                ins.add(renamed.getOrDefault(v, v));
            }
            Node e = ins.equals(n.inputs()) ? n : n.withInputs(ins);
            nodes.add(e);
            if (e instanceof SimQuantizeNode q) {
                if (q.spec().role() == QuantRole.ACTIVATION || q.spec().role() == QuantRole.INHERIT) {
                    quantized.put(q.output(), q.spec());
                }
                continue;
            }
            QuantSpec in =
                    e.inputs().isEmpty() ? null : quantized.get(e.inputs().get(0));
            if (in == null
                    || outputs.contains(e.output())
                    || onlyReaderIsAPoint(simulated, n.output())
                    || AnnotateRules.of(simulated, n) != AnnotateRule.PASS_THROUGH) {
                continue;
            }
            SimQuantizeNode point = pointAfter(e.output(), in);
            nodes.add(point);
            renamed.put(e.output(), point.output());
            quantized.put(point.output(), in);
        }
        return InferTypesPass.infer(simulated.withNodes(nodes));
    }

    /** A point on {@code value} with the scale and range of the op's input (role INHERIT). */
    private static SimQuantizeNode pointAfter(String value, QuantSpec in) {
        String point = value + "/qdq";
        return new SimQuantizeNode(
                point + "/simq",
                List.of(value),
                point,
                value,
                new QuantSpec(
                        QuantRole.INHERIT, in.storage(), in.range(), -1, in.config(), in.scales(), in.zeroPoint()));
    }

    private static boolean onlyReaderIsAPoint(Graph g, String value) {
        List<Node> readers = g.consumers(value);
        return readers.size() == 1 && readers.get(0) instanceof SimQuantizeNode;
    }
}

package dev.qtune.compiler.onnx;

import dev.qtune.compiler.onnx.proto.OnnxSubset.AttributeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rewrites a model with quantized operators (ONNX Runtime's "QOperator" format: QLinearConv,
 * QLinearMatMul, ConvInteger, MatMulInteger and the com.microsoft ops (QGemm, QLinearAdd, ...) of
 * {@link QLinearRules}) into the QDQ form {@link QdqGraphReader} reads, before it reads it: each
 * operator becomes DequantizeLinear of its inputs -> the float op -> QuantizeLinear to its output,
 * with exactly the file's scales and zero points (nothing is recalibrated), so that the reader
 * folds it into the same integer op as the equivalent QDQ file. ConvInteger and MatMulInteger are
 * read in one static pattern, up to float32 rounding ({@link IntegerLayerRule}).
 *
 * <p>Every integer tensor (a QuantizeLinear's or a quantized operator's output) is read through
 * one DequantizeLinear, shared by all its readers: the file's own one if it has one with the same
 * parameters (further identical ones are merged into it), else one added where it is first needed.
 * MaxPool, Flatten, Reshape, Identity and Relu of an integer tensor (which ONNX Runtime runs on
 * integers) become DequantizeLinear -> op -> QuantizeLinear with the input's parameters, exact for
 * these ops. Any other reader of an integer tensor, a dynamically quantized input, or a weight or
 * scale that is not a constant is an {@link OnnxImportException} naming the node. Zero points are
 * carried as they are; the reader decides which it accepts.
 */
final class QLinearExpander {
    private final GraphProto gp;
    private final QLinearGraph g;
    private final Map<String, String> renamed = new HashMap<>();

    private QLinearExpander(GraphProto gp, int opset, String source) {
        this.gp = gp;
        this.g = new QLinearGraph(gp, opset, source);
    }

    /** The graph in QDQ form; {@code gp} itself when it has no quantized operator. */
    static GraphProto expand(GraphProto gp, int opset, String source) {
        if (gp.getNodeList().stream()
                .noneMatch(n -> QLinearRules.of(n.getOpType()).isPresent())) {
            return gp;
        }
        return new QLinearExpander(gp, opset, source).run();
    }

    private GraphProto run() {
        for (NodeProto original : gp.getNodeList()) {
            if (g.isConsumed(original)) {
                continue;
            }
            ImportContext c = g.context(original);
            NodeProto n = withRenamedInputs(original);
            Optional<QLinearRule> rule = QLinearRules.of(n.getOpType());
            Optional<IntegerTensor> first = n.getInputCount() == 0 ? Optional.empty() : g.integer(n.getInput(0));
            if (rule.isPresent()) {
                rule.get().expand(n, c, g);
            } else if (n.getOpType().equals(QuantizedOps.QUANTIZE)) {
                g.emit(n, c.nodeName());
                g.addInteger(new IntegerTensor(
                        c.singleOutput(n),
                        input(n, 1),
                        input(n, 2),
                        n.getAttributeList(),
                        "QuantizeLinear node '" + c.nodeName() + "'"));
            } else if (n.getOpType().equals(QuantizedOps.DEQUANTIZE) && first.isPresent()) {
                dequantize(n, c, first.get());
            } else if (QLinearRules.PASS_THROUGH.contains(n.getOpType()) && first.isPresent()) {
                passThrough(n, c, first.get());
            } else {
                checkReadsNoIntegers(n, c);
                g.emit(n, c.nodeName());
            }
        }
        return g.result();
    }

    private NodeProto withRenamedInputs(NodeProto n) {
        if (n.getInputList().stream().noneMatch(renamed::containsKey)) {
            return n;
        }
        List<String> inputs =
                n.getInputList().stream().map(v -> renamed.getOrDefault(v, v)).toList();
        return n.toBuilder().clearInput().addAllInput(inputs).build();
    }

    /**
     * The file's DequantizeLinear of integer tensor {@code t}: the shared one if it is the first with
     * {@code t}'s parameters, merged into that one if it is another; one with other parameters is
     * kept for the reader to refuse.
     */
    private void dequantize(NodeProto dq, ImportContext c, IntegerTensor t) {
        boolean same = !input(dq, 1).isEmpty()
                && g.sameConstant(t.scale(), input(dq, 1))
                && g.sameConstant(t.zeroPoint(), input(dq, 2))
                && axis(dq.getAttributeList()) == axis(t.attributes());
        Optional<String> shared = g.sharedDequantized(t.name());
        String output = c.singleOutput(dq);
        if (!same || shared.isEmpty()) {
            g.emit(dq, c.nodeName());
            if (same) {
                g.shareDequantized(t.name(), output);
            }
        } else if (g.isGraphOutput(output)) {
            g.emit("Identity", c.nodeName(), List.of(shared.get()), List.of(output), List.of());
        } else {
            renamed.put(output, shared.get());
        }
    }

    /** Input {@code i} of {@code n}, "" when it has none. */
    private static String input(NodeProto n, int i) {
        return i < n.getInputCount() ? n.getInput(i) : "";
    }

    private static long axis(List<AttributeProto> attributes) {
        return attributes.stream()
                .filter(a -> a.getName().equals("axis"))
                .mapToLong(AttributeProto::getI)
                .findFirst()
                .orElse(1);
    }

    /** An op that ONNX Runtime runs on integers: DequantizeLinear -> op -> QuantizeLinear with its input's parameters. */
    private void passThrough(NodeProto n, ImportContext c, IntegerTensor t) {
        String y = c.singleOutput(n);
        List<String> inputs = new ArrayList<>(n.getInputList());
        inputs.set(0, g.dequantized(t));
        String floatValue = g.fresh(y + "/float");
        g.emit(n.getOpType(), c.nodeName(), inputs, List.of(floatValue), n.getAttributeList());
        g.quantize(c.nodeName(), floatValue, t.carriedTo(y, n.getOpType() + " node '" + c.nodeName() + "'"));
    }

    private void checkReadsNoIntegers(NodeProto n, ImportContext c) {
        for (String v : n.getInputList()) {
            Optional<IntegerTensor> t = g.integer(v);
            if (t.isPresent()) {
                throw c.error("reads integer tensor '" + v + "' (the output of "
                        + t.get().origin() + "), but qtune "
                        + "reads the integers of a quantized model only through DequantizeLinear, the quantized operators "
                        + String.join(", ", QLinearRules.ops().stream().sorted().toList()) + ", and "
                        + String.join(
                                ", ",
                                QLinearRules.PASS_THROUGH.stream().sorted().toList()));
            }
        }
    }
}

package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.AttributeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import java.util.List;

/**
 * The inputs of one quantized operator, read for its expansion: integer activations (checked to be
 * the integers of a QuantizeLinear or of another quantized operator, at the scale and zero point
 * the operator states), constant integer weights and biases, and constant scales and zero points.
 * Errors name the node and the input by its name in the ONNX operator's signature.
 */
final class QLinearOperands {
    private final NodeProto node;
    private final ImportContext c;
    private final QLinearGraph g;
    private final List<String> labels;

    private QLinearOperands(NodeProto node, ImportContext c, QLinearGraph g, List<String> labels) {
        this.node = node;
        this.c = c;
        this.g = g;
        this.labels = labels;
    }

    /**
     * The operands of {@code node}, whose inputs are named {@code labels} in the operator's
     * signature, an optional one with a trailing "?": at most that many, and every one not optional
     * present.
     */
    static QLinearOperands of(NodeProto node, ImportContext c, QLinearGraph g, List<String> labels) {
        boolean missing = node.getInputCount() > labels.size();
        for (int i = 0; i < labels.size(); i++) {
            boolean present = i < node.getInputCount() && !node.getInput(i).isEmpty();
            missing |= !present && !labels.get(i).endsWith("?");
        }
        if (missing) {
            throw c.error("must have the inputs "
                    + String.join(
                            ", ",
                            labels.stream()
                                    .map(l -> l.endsWith("?") ? l.substring(0, l.length() - 1) + " (optional)" : l)
                                    .toList())
                    + ", but has " + node.getInputList());
        }
        return new QLinearOperands(node, c, g, labels);
    }

    String name(int i) {
        return has(i) ? node.getInput(i) : "";
    }

    boolean has(int i) {
        return i >= 0 && i < node.getInputCount() && !node.getInput(i).isEmpty();
    }

    /** The input's name in the operator's signature. */
    String label(int i) {
        String l = labels.get(i);
        return l.endsWith("?") ? l.substring(0, l.length() - 1) : l;
    }

    /** Input {@code i}, which must be an initializer. */
    Tensor constant(int i) {
        return g.constant(name(i), label(i), c);
    }

    /** Input {@code i}, which must be a constant with one element (a scale). */
    float scalar(int i) {
        Tensor t = constant(i);
        if (t.numel() != 1 || t.dtype().isInteger()) {
            throw c.error(label(i) + " '" + name(i) + "' must be one float32 value, but is " + t.dtype() + " of shape "
                    + t.shape());
        }
        return t.getFloat(0);
    }

    /** Input {@code i} as an integer activation; a dynamically quantized input gets its own message. */
    IntegerTensor integer(int i) {
        String v = name(i);
        return g.integer(v).orElseThrow(() -> {
            boolean dynamic = g.producer(v)
                    .filter(p -> p.getOpType().equals("DynamicQuantizeLinear"))
                    .isPresent();
            return c.error(
                    "input " + label(i) + " '" + v + "' must be the integers of a QuantizeLinear with a constant "
                            + "scale or of another quantized operator (static quantization), but is " + g.describe(v)
                            + (dynamic ? ": dynamically quantized models are not supported" : ""));
        });
    }

    /**
     * The float value of integer activation {@code i}, which this operator reads with scale input
     * {@code scale} and zero point input {@code zeroPoint}: constants that must be the parameters
     * the activation was quantized with (qtune reads each integer tensor at one scale).
     */
    String dequantized(int i, int scale, int zeroPoint) {
        IntegerTensor t = integer(i);
        constant(scale);
        if (has(zeroPoint)) {
            constant(zeroPoint);
        }
        checkQuantizedAs(t, scale, zeroPoint);
        return g.dequantized(t);
    }

    /**
     * Fails unless inputs {@code scale} (-1 for an operator that states none) and {@code zeroPoint}
     * hold the parameters of {@code t}.
     */
    void checkQuantizedAs(IntegerTensor t, int scale, int zeroPoint) {
        String zp = label(zeroPoint) + " '" + name(zeroPoint) + "'";
        if (scale < 0 && !g.sameConstant(t.zeroPoint(), name(zeroPoint))) {
            throw c.error(zp + " must equal the zero point '" + t.zeroPoint() + "' that " + t.origin() + " gave '"
                    + t.name() + "' (absent zero points are 0)");
        }
        if (scale >= 0
                && (!g.sameConstant(t.scale(), name(scale)) || !g.sameConstant(t.zeroPoint(), name(zeroPoint)))) {
            throw c.error(label(scale) + " '" + name(scale) + "' and " + zp + " must equal the scale '" + t.scale()
                    + "' and zero point '" + t.zeroPoint() + "' that " + t.origin() + " gave '" + t.name()
                    + "' (absent zero points are 0)");
        }
    }

    /** Input {@code i} dequantized: an integer activation, or a constant integer tensor. */
    String operand(int i, int scale, int zeroPoint) {
        if (g.isInitializer(name(i))) {
            return dequantizedConstant(i, name(scale), name(zeroPoint), -1);
        }
        return dequantized(i, scale, zeroPoint);
    }

    /**
     * DequantizeLinear of constant integer input {@code i} (a weight or bias) with the given scale
     * and zero point ("" for none), along {@code axis} when it is not -1; returns its float output.
     */
    String dequantizedConstant(int i, String scale, String zeroPoint, int axis) {
        constant(i);
        return g.dequantizedConstant(c.nodeName() + "/" + label(i), name(i), scale, zeroPoint, axis);
    }

    /**
     * Emits the float op ({@code opType}, the node's name, {@code inputs}, {@code attributes}) and
     * QuantizeLinear of its result to the node's integer output with inputs {@code scale} and
     * {@code zeroPoint}, which must be constants.
     */
    void output(String opType, List<String> inputs, List<AttributeProto> attributes, int scale, int zeroPoint) {
        String y = c.singleOutput(node);
        constant(scale);
        if (has(zeroPoint)) {
            constant(zeroPoint);
        }
        String floatValue = g.fresh(y + "/float");
        g.emit(opType, c.nodeName(), inputs, List.of(floatValue), attributes);
        g.quantize(
                c.nodeName(),
                floatValue,
                new IntegerTensor(
                        y, name(scale), name(zeroPoint), List.of(), node.getOpType() + " node '" + c.nodeName() + "'"));
    }

    /** The node's attributes without {@code name}, which must be absent or 0 (e.g. channels_last). */
    List<AttributeProto> attributesWithoutZero(String name) {
        long v = c.attributes().getInt(name, 0);
        if (v != 0) {
            throw c.error("attribute '" + name + "' must be 0 (qtune reads NCHW tensors), but was " + v);
        }
        return node.getAttributeList().stream()
                .filter(a -> !a.getName().equals(name))
                .toList();
    }
}

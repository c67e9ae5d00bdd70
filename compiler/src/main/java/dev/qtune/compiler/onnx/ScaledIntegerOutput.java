package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import java.util.List;
import java.util.Optional;

/**
 * The float result of a ConvInteger or MatMulInteger in the static pattern qtune imports: the int32
 * accumulator read only by Cast(to FLOAT), that only by Mul with a constant scale {@code c} (one
 * value, or one per output channel), and that, optionally, only by Add of a constant bias (one
 * value or one per output channel). The file computes {@code output = acc * c [+ bias]}.
 *
 * @param scales {@code c}: one value or one per output channel
 * @param bias the bias values (one or one per output channel), if an Add was found
 * @param output the value the pattern ends in (the Mul's output, or the Add's)
 */
record ScaledIntegerOutput(float[] scales, Optional<float[]> bias, String output) {
    /**
     * Finds the pattern after {@code layer} (context {@code c}), whose output channels are the
     * {@code channels} elements along axis {@code -channelAxisFromEnd} of its result, and marks its
     * nodes consumed; an accumulator read otherwise is an error naming the layer.
     */
    static ScaledIntegerOutput find(
            NodeProto layer, ImportContext c, QLinearGraph g, int channels, int channelAxisFromEnd) {
        NodeProto cast = onlyReader(c.singleOutput(layer), "Cast", c, g);
        ImportContext castContext = g.context(cast);
        long to = castContext.attributes().getInt("to", 0);
        if (to != OnnxTensors.FLOAT) {
            throw castContext.error("must cast the int32 result of " + layer.getOpType() + " node '" + c.nodeName()
                    + "' to FLOAT (1), but casts to " + to);
        }
        NodeProto mul = onlyReader(castContext.singleOutput(cast), "Mul", c, g);
        ImportContext mulContext = g.context(mul);
        String scaleName = otherInput(mul, cast.getOutput(0));
        Tensor scale = g.constant(scaleName, "scale", mulContext);
        float[] scales = perChannel(scale, channels, channelAxisFromEnd)
                .orElseThrow(() -> mulContext.error("scale '"
                        + scaleName + "' of type " + scale.dtype() + " and shape " + scale.shape()
                        + " must be float32 with one "
                        + "value or one per output channel (" + channels + ", on axis -" + channelAxisFromEnd + ")"));
        String output = mulContext.singleOutput(mul);
        g.consume(cast);
        g.consume(mul);
        Optional<NodeProto> add = biasAdd(output, g, channels, channelAxisFromEnd);
        add.ifPresent(g::consume);
        Optional<float[]> bias = add.map(a -> g.constant(otherInput(a, mul.getOutput(0)), "bias", g.context(a))
                .floats());
        return new ScaledIntegerOutput(
                scales, bias, add.map(a -> a.getOutput(0)).orElse(output));
    }

    private static NodeProto onlyReader(String value, String opType, ImportContext layer, QLinearGraph g) {
        List<NodeProto> readers = g.readers(value);
        if (readers.size() != 1 || !readers.get(0).getOpType().equals(opType) || g.isGraphOutput(value)) {
            throw layer.error(
                    "its result must be read by exactly one Cast to FLOAT, that by one Mul by a constant scale "
                            + "(the static pattern qtune imports), but '" + value + "' is read by "
                            + readers.stream()
                                    .map(r -> r.getOpType() + " '" + g.nameOf(r) + "'")
                                    .toList()
                            + (g.isGraphOutput(value) ? " and is a graph output" : ""));
        }
        return readers.get(0);
    }

    /** The Add that is the only reader of {@code value} and adds a constant of a bias's shape, if there is one. */
    private static Optional<NodeProto> biasAdd(String value, QLinearGraph g, int channels, int channelAxisFromEnd) {
        List<NodeProto> readers = g.readers(value);
        if (readers.size() != 1 || !readers.get(0).getOpType().equals("Add") || g.isGraphOutput(value)) {
            return Optional.empty();
        }
        NodeProto add = readers.get(0);
        String other = otherInput(add, value);
        if (!g.isInitializer(other) || add.getOutputCount() != 1) {
            return Optional.empty();
        }
        Tensor bias = g.constant(other, "bias", g.context(add));
        return perChannel(bias, channels, channelAxisFromEnd).map(b -> add);
    }

    private static String otherInput(NodeProto binary, String value) {
        return binary.getInput(0).equals(value) ? binary.getInput(1) : binary.getInput(0);
    }

    /** The float32 values of {@code t} if it has one, or one per channel on axis {@code -axisFromEnd} (others 1). */
    static Optional<float[]> perChannel(Tensor t, int channels, int axisFromEnd) {
        if (t.dtype() != DType.F32) {
            return Optional.empty();
        }
        int[] dims = t.shape().dims();
        int axis = dims.length - axisFromEnd;
        boolean oneValue = t.numel() == 1;
        boolean onePerChannel = axis >= 0 && dims[axis] == channels && t.numel() == channels;
        return oneValue || onePerChannel ? Optional.of(t.floats().clone()) : Optional.empty();
    }
}

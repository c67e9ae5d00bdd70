package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import java.util.Arrays;
import java.util.Map;

/**
 * The quantization parameters of one QuantizeLinear or DequantizeLinear node, checked: float32
 * scales that are positive and finite, one per tensor or one per slice of {@code axis}, zero points
 * of the integer type with the scale's shape (all 0 when the node has none), and the integer
 * storage type they give. real = (q - zeroPoint) * scale.
 */
record QdqParams(float[] scales, int[] zeroPoints, DType storage, int axis) {
    /**
     * Reads the scale (input 1) and zero point (input 2) of {@code node}, which must be
     * initializers; {@code rank} is the rank of the quantized tensor (for a per-axis {@code axis}),
     * or -1 when it is not known (then only one scale is accepted); without a zero point the
     * storage type is {@code defaultStorage}.
     */
    static QdqParams of(
            NodeProto node, Map<String, Tensor> initializers, int rank, DType defaultStorage, ImportContext c) {
        if (node.getInputCount() < 2 || node.getInput(1).isEmpty()) {
            throw c.error("must have a scale input, but has none");
        }
        Tensor scale = constant(node.getInput(1), "scale", initializers, c);
        if (scale.dtype() != DType.F32) {
            throw c.error("scale '" + node.getInput(1) + "' must be float32, but is " + scale.dtype());
        }
        if (scale.shape().rank() > 1) {
            throw c.error("scale '" + node.getInput(1) + "' must be a scalar or 1-D, but has shape " + scale.shape());
        }
        float[] scales = scale.floats().clone();
        for (int i = 0; i < scales.length; i++) {
            if (!(scales[i] > 0) || Float.isInfinite(scales[i])) {
                throw c.error("scale '" + node.getInput(1) + "' must be positive and finite, but element " + i + " is "
                        + scales[i]);
            }
        }
        Tensor zp = zeroPoint(node, initializers, scale, c);
        DType storage = zp == null ? defaultStorage : zp.dtype();
        int[] zeroPoints = zp == null ? new int[scales.length] : zp.ints().clone();
        int axis = scales.length == 1 ? -1 : axis(node, rank, scales.length, c);
        return new QdqParams(scales, zeroPoints, storage, axis);
    }

    /** Whether two nodes quantize alike: equal scales, zero points, storage type and axis. */
    boolean sameAs(QdqParams other) {
        return Arrays.equals(scales, other.scales)
                && Arrays.equals(zeroPoints, other.zeroPoints)
                && storage == other.storage
                && axis == other.axis;
    }

    /** The one zero point of per-tensor parameters. */
    int zeroPoint() {
        if (zeroPoints.length != 1) {
            throw new IllegalStateException("parameters must have one zero point, but have " + zeroPoints.length);
        }
        return zeroPoints[0];
    }

    /** Whether every zero point is 0. */
    boolean symmetric() {
        return Arrays.stream(zeroPoints).allMatch(z -> z == 0);
    }

    /** The one scale of per-tensor parameters. */
    float scale() {
        if (scales.length != 1) {
            throw new IllegalStateException("parameters must have one scale, but have " + scales.length);
        }
        return scales[0];
    }

    private static Tensor zeroPoint(NodeProto node, Map<String, Tensor> initializers, Tensor scale, ImportContext c) {
        if (node.getInputCount() < 3 || node.getInput(2).isEmpty()) {
            return null;
        }
        Tensor zp = constant(node.getInput(2), "zero point", initializers, c);
        if (zp.dtype() != DType.I8 && zp.dtype() != DType.U8 && zp.dtype() != DType.I32) {
            throw c.error("zero point '" + node.getInput(2) + "' must be int8, uint8 or int32, but is " + zp.dtype());
        }
        if (!zp.shape().equals(scale.shape())) {
            throw c.error("zero point '" + node.getInput(2) + "' must have the shape of scale '" + node.getInput(1)
                    + "' " + scale.shape() + ", but has shape " + zp.shape());
        }
        return zp;
    }

    private static int axis(NodeProto node, int rank, int channels, ImportContext c) {
        if (rank < 0) {
            throw c.error("has " + channels + " scales (per axis), but qtune quantizes this tensor with one scale");
        }
        long axis = c.attributes().getInt("axis", 1);
        if (axis < -rank || axis >= rank) {
            throw c.error("attribute 'axis' must be in [" + -rank + ", " + (rank - 1) + "] for a tensor of rank " + rank
                    + ", but was " + axis);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    private static Tensor constant(String name, String what, Map<String, Tensor> initializers, ImportContext c) {
        Tensor t = initializers.get(name);
        if (t == null) {
            throw c.error(what + " '" + name + "' must be an initializer, but is computed");
        }
        return t;
    }
}

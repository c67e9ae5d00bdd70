package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.quant.IntRange;
import dev.qtune.compiler.quant.QuantMath;
import java.util.ArrayList;
import java.util.List;

/**
 * ConvInteger and MatMulInteger in the static pattern {@link ScaledIntegerOutput} describes: the
 * input {@code x} the integers of a QuantizeLinear (or of another quantized operator) with constant
 * scale {@code s_x}, a constant integer weight, and the int32 result cast to float and multiplied by
 * a constant {@code c} (one value or one per output channel), perhaps plus a constant bias. The
 * file computes {@code sum((x - x_zp) * (w - w_zp)) * c [+ bias]}; qtune reads it as
 * {@code DequantizeLinear(x, s_x, x_zp) -> Conv/MatMul} with the weight
 * {@code DequantizeLinear(w, c / s_x, w_zp)}, where {@code c / s_x} is rounded to float32, so the
 * layer equals the file's up to that rounding ({@code s_x * (c / s_x)} may differ from {@code c} in
 * the last bits). A bias is folded into the layer as int32 {@code rint(bias / (s_x * (c / s_x)))},
 * rounded to the accumulator's grid as qtune rounds its own biases, and MatMulInteger with a bias
 * becomes Gemm (which needs a 2-D input). The layer's float output replaces the Mul's (or the
 * Add's), so the QuantizeLinear that follows it in the file makes it an integer layer.
 */
final class IntegerLayerRule {
    private static final List<String> CONV_INTEGER = List.of("x", "w", "x_zero_point?", "w_zero_point?");
    private static final List<String> MATMUL_INTEGER = List.of("A", "B", "a_zero_point?", "b_zero_point?");

    private IntegerLayerRule() {}

    /** Expands ConvInteger ({@code conv}) or MatMulInteger node {@code n}. */
    static void expand(NodeProto n, ImportContext c, QLinearGraph g, boolean conv) {
        QLinearOperands in = QLinearOperands.of(n, c, g, conv ? CONV_INTEGER : MATMUL_INTEGER);
        IntegerTensor x = in.integer(0);
        in.checkQuantizedAs(x, -1, 2);
        Tensor xScale = g.constant(x.scale(), "the scale of input " + in.label(0) + " '" + x.name() + "'", c);
        if (xScale.numel() != 1 || xScale.dtype() != DType.F32) {
            throw c.error("input " + in.label(0) + " '" + x.name() + "' must have one float32 scale, but '" + x.scale()
                    + "' is " + xScale.dtype() + " of shape " + xScale.shape());
        }
        Tensor w = in.constant(1);
        int axis = conv ? 0 : 1;
        if (w.shape().rank() != (conv ? 4 : 2)) {
            throw c.error("weight " + in.label(1) + " '" + in.name(1) + "' must have rank " + (conv ? 4 : 2)
                    + ", but has shape " + w.shape());
        }
        int channels = w.shape().dim(axis);
        ScaledIntegerOutput out = ScaledIntegerOutput.find(n, c, g, channels, conv ? 3 : 1);
        float sx = xScale.getFloat(0);
        float[] weightScales = new float[out.scales().length];
        for (int i = 0; i < weightScales.length; i++) {
            weightScales[i] = out.scales()[i] / sx;
        }
        boolean perChannel =
                weightScales.length > 1 || in.has(3) && in.constant(3).numel() > 1;
        Shape scaleShape = perChannel ? Shape.of(channels) : Shape.of();
        float[] scales = spread(weightScales, perChannel ? channels : 1);
        String scale = g.initializer(c.nodeName() + "/" + in.label(1) + "/scale", Tensor.ofFloats(scaleShape, scales));
        String zeroPoint = in.has(3) ? zeroPoint(in, g, c, scaleShape, channels) : "";
        List<String> inputs = new ArrayList<>(
                List.of(g.dequantized(x), in.dequantizedConstant(1, scale, zeroPoint, perChannel ? axis : -1)));
        out.bias().ifPresent(b -> inputs.add(bias(b, sx, scales, channels, c, g)));
        String op = conv ? "Conv" : out.bias().isPresent() ? "Gemm" : "MatMul";
        g.emit(op, c.nodeName(), inputs, List.of(out.output()), conv ? n.getAttributeList() : List.of());
    }

    /** The weight zero point in the scale's shape (its one value repeated per channel if need be). */
    private static String zeroPoint(QLinearOperands in, QLinearGraph g, ImportContext c, Shape shape, int channels) {
        Tensor zp = in.constant(3);
        if (zp.numel() != 1 && zp.numel() != channels || !zp.dtype().isInteger()) {
            throw c.error(in.label(3) + " '" + in.name(3) + "' must be integers, one or one per output channel ("
                    + channels + "), but is " + zp.dtype() + " of shape " + zp.shape());
        }
        if (zp.shape().equals(shape)) {
            return in.name(3);
        }
        int[] values = new int[shape.numel()];
        for (int i = 0; i < values.length; i++) {
            values[i] = zp.ints()[zp.numel() == 1 ? 0 : i];
        }
        return g.initializer(c.nodeName() + "/" + in.label(3), Tensor.ofInts(zp.dtype(), shape, values));
    }

    /** The bias as int32 at scale s_x * s_w[o] (float32 products), dequantized per channel when the scales are. */
    private static String bias(
            float[] bias, float sx, float[] weightScales, int channels, ImportContext c, QLinearGraph g) {
        float[] scales = new float[weightScales.length];
        int[] q = new int[channels];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = sx * weightScales[i];
        }
        for (int o = 0; o < channels; o++) {
            q[o] = QuantMath.quantize(
                    bias[bias.length == 1 ? 0 : o], scales[scales.length == 1 ? 0 : o], IntRange.BIAS);
        }
        boolean perChannel = scales.length > 1;
        String integers = g.initializer(c.nodeName() + "/bias/int", Tensor.ofInts(DType.I32, Shape.of(channels), q));
        String scale = g.initializer(
                c.nodeName() + "/bias/scale", Tensor.ofFloats(perChannel ? Shape.of(channels) : Shape.of(), scales));
        return g.dequantizedConstant(c.nodeName() + "/bias", integers, scale, "", perChannel ? 0 : -1);
    }

    private static float[] spread(float[] values, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = values[values.length == 1 ? 0 : i];
        }
        return out;
    }
}

package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.QuantRole;
import dev.qtune.compiler.ir.QuantSpec;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.quant.Granularity;
import dev.qtune.compiler.quant.IntRange;
import dev.qtune.compiler.quant.LayerQuantConfig;
import dev.qtune.compiler.quant.QuantMath;
import java.util.ArrayList;
import java.util.List;

/**
 * The quantized constants of a QDQ file (weights and biases read through DequantizeLinear): their
 * fp32 values, the quantization specs that give back exactly the file's integers, and the layer
 * configs an imported point carries (8-bit activations, ties rounded upward: qtune's defaults,
 * since a QDQ file does not say how to requantize).
 */
final class QdqConstants {
    private QdqConstants() {}

    /** The config of an imported activation point. */
    static LayerQuantConfig activationConfig() {
        return LayerQuantConfig.DEFAULT;
    }

    /** DequantizeLinear of a constant: x = (float) (q - z[c]) * s[c], one float32 product per element. */
    static Tensor dequantize(Tensor q, QdqParams params) {
        int[] ints = q.ints();
        float[] out = new float[ints.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (ints[i] - valueOf(i, q.shape(), params.zeroPoints(), params.axis()))
                    * scaleOf(i, q.shape(), params.scales(), params.axis());
        }
        return Tensor.ofFloats(q.shape(), out);
    }

    /**
     * A layer's weight integers less their zero point, q - z[c]: int8 where every one fits
     * [-128, 127] (any int8 weight with zero point 0, uint8 weights with zero point 128), else int16
     * (uint8 weights with another zero point, as ONNX Runtime's asymmetric QUInt8 weights, span up
     * to [-255, 255]; the kernels take them on their 16-bit path, docs/integer-semantics.md,
     * "Zero points").
     */
    static Tensor weightIntegers(Tensor q, QdqParams params, NodeProto layer, ImportContext c) {
        if (q.dtype() != DType.I8 && q.dtype() != DType.U8) {
            throw c.error("dequantizes the weight of " + layer.getOpType() + " node '" + layer.getName()
                    + "', which must be int8 or uint8, but '" + layer.getInput(1) + "' is " + q.dtype());
        }
        int[] ints = q.ints();
        int[] shifted = new int[ints.length];
        boolean fitsInt8 = true;
        for (int i = 0; i < ints.length; i++) {
            shifted[i] = ints[i] - valueOf(i, q.shape(), params.zeroPoints(), params.axis());
            fitsInt8 &= shifted[i] >= Byte.MIN_VALUE && shifted[i] <= Byte.MAX_VALUE;
        }
        return Tensor.ofInts(fitsInt8 ? DType.I8 : DType.I16, q.shape(), shifted);
    }

    /**
     * The spec of a layer's weight (its integers less the zero point, int8 or int16 as
     * {@link #weightIntegers} stores them): scales per output channel (the layer's output axis) or
     * one, and the narrowest symmetric range holding the integers ([-128, 127] if -128 occurs in
     * int8). The layer config says 8 weight bits for an int16 weight: the file's integers are 8-bit,
     * only their zero point is gone.
     */
    static QuantSpec weightSpec(Tensor q, QdqParams params, NodeProto layer, ImportContext c) {
        int outputAxis = QdqLayerSlots.outputAxis(layer);
        if (params.axis() >= 0 && params.axis() != outputAxis) {
            throw c.error("has per-axis scales along axis " + params.axis() + ", but the weight of " + layer.getOpType()
                    + " node '" + layer.getName() + "' must be quantized per output channel, axis " + outputAxis);
        }
        int maxAbs = 0;
        int min = 0;
        for (int v : q.ints()) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
            min = Math.min(min, v);
        }
        int bits = 2;
        while ((1 << (bits - 1)) - 1 < maxAbs) {
            bits++;
        }
        IntRange range = q.dtype() == DType.I8 && min == -128 ? new IntRange(-128, 127) : IntRange.signed(bits);
        LayerQuantConfig d = LayerQuantConfig.DEFAULT;
        LayerQuantConfig config = new LayerQuantConfig(
                Math.min(bits, 8),
                d.activationBits(),
                d.weightScale(),
                params.axis() < 0 ? Granularity.PER_TENSOR : Granularity.PER_CHANNEL,
                d.activationCalibration(),
                d.percentile(),
                false,
                d.rounding());
        return new QuantSpec(QuantRole.WEIGHT, q.dtype(), range, params.axis(), config, scaleList(params));
    }

    /** The spec of a layer's int32 bias: scales per output channel (axis 0 of the 1-D bias) or one. */
    static QuantSpec biasSpec(Tensor q, QdqParams params, NodeProto layer, ImportContext c) {
        if (q.dtype() != DType.I32) {
            throw c.error("dequantizes the bias of " + layer.getOpType() + " node '" + layer.getName()
                    + "', which must be int32, but '" + layer.getInput(2) + "' is " + q.dtype());
        }
        if (!params.symmetric()) {
            throw c.error("dequantizes the bias of " + layer.getOpType() + " node '" + layer.getName()
                    + "' with a non-zero zero point, but a bias must have zero point 0");
        }
        return new QuantSpec(
                QuantRole.BIAS, DType.I32, IntRange.BIAS, params.axis(), activationConfig(), scaleList(params));
    }

    /**
     * Checks that the spec's quantization, clamp(rint(x / s)), gives back every integer of the file
     * from its dequantized value x = fl(q * s): true for int8 weights, and for int32 biases below
     * about 2^22 in magnitude; a bias beyond that (or a scale so small that q * s underflows) is
     * refused rather than changed.
     */
    static void checkExact(Tensor q, Tensor values, QuantSpec spec, ImportContext c) {
        float[] scales = spec.scaleArray();
        int[] ints = q.ints();
        for (int i = 0; i < ints.length; i++) {
            float s = scaleOf(i, q.shape(), scales, spec.axis());
            int back = QuantMath.quantize(values.getFloat(i), s, spec.range());
            if (back != ints[i]) {
                throw c.error("integer " + ints[i] + " at index " + i
                        + " of its input cannot be carried exactly (dequantized to " + values.getFloat(i)
                        + " with scale " + s
                        + ", it rounds back to " + back + "): qtune imports "
                        + spec.role().name().toLowerCase()
                        + " integers below about 2^22 in magnitude");
            }
        }
    }

    private static int valueOf(int i, Shape shape, int[] values, int axis) {
        return values[channelOf(i, shape, values.length, axis)];
    }

    private static float scaleOf(int i, Shape shape, float[] scales, int axis) {
        return scales[channelOf(i, shape, scales.length, axis)];
    }

    /** The slice of {@code axis} that element {@code i} lies in, or 0 for per-tensor parameters. */
    private static int channelOf(int i, Shape shape, int channels, int axis) {
        return channels == 1 ? 0 : (i / shape.product(axis + 1, shape.rank())) % channels;
    }

    private static List<Float> scaleList(QdqParams params) {
        List<Float> list = new ArrayList<>();
        for (float s : params.scales()) {
            list.add(s);
        }
        return list;
    }
}

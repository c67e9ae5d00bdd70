package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QuantRole;
import dev.qtune.compiler.ir.QuantSpec;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.AttributeProto;
import dev.qtune.compiler.quant.QuantMath;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a calibrated SimQuantize node as standard ONNX QDQ (docs/formats.md, "QDQ export"):
 * an activation (or inherited) point becomes QuantizeLinear then DequantizeLinear with a float32
 * scalar scale and a zero point 0 of its storage type (uint8 or int8); a weight or bias point
 * becomes its integers as an initializer (int8 weights, int32 biases, quantized exactly as
 * SimQuantize does; an imported model's int16 weights as uint8 with a zero point) read by
 * DequantizeLinear, with 1-D scales and {@code axis} when per channel.
 */
final class QdqNodeWriter {
    private QdqNodeWriter() {}

    static void write(Node node, WriteContext c) {
        SimQuantizeNode q = (SimQuantizeNode) node;
        QuantSpec spec = q.spec();
        if (!spec.isCalibrated()) {
            throw c.error(q, "has no scales: export a calibrated graph (QuantizedModel.simulated())");
        }
        switch (spec.role()) {
            case WEIGHT, BIAS -> constant(q, c);
            case ACTIVATION, INHERIT -> activation(q, c);
        }
    }

    private static void activation(SimQuantizeNode q, WriteContext c) {
        QuantSpec spec = q.spec();
        if (spec.storage() != DType.I8 && spec.storage() != DType.U8) {
            throw c.error(
                    q,
                    "quantizes tensor '" + q.tensor() + "' to " + spec.storage() + " ["
                            + spec.range().min()
                            + ", " + spec.range().max() + "], but QuantizeLinear of opset " + OnnxWriter.OPSET
                            + " has only int8 and uint8: QDQ export supports activations of 2 to 8 bits");
        }
        if (spec.scales().size() != 1) {
            throw c.error(
                    q,
                    "quantizes activation '" + q.tensor() + "' with "
                            + spec.scales().size() + " scales, but activations must have one scale");
        }
        String scale = c.initializer(q.name() + "/scale", Tensor.scalar(spec.scale()));
        String zeroPoint = c.initializer(
                q.name() + "/zero_point", Tensor.ofInts(spec.storage(), Shape.of(), new int[] {spec.zeroPoint()}));
        String integer = c.fresh(q.output() + "/int");
        c.emit(
                "QuantizeLinear",
                c.fresh(q.name() + "/QuantizeLinear"),
                List.of(q.input(), scale, zeroPoint),
                List.of(integer));
        c.emit(
                "DequantizeLinear",
                c.fresh(q.name() + "/DequantizeLinear"),
                List.of(integer, scale, zeroPoint),
                List.of(q.output()));
    }

    private static void constant(SimQuantizeNode q, WriteContext c) {
        QuantSpec spec = q.spec();
        Tensor value = c.graph().initializers().get(q.input());
        if (value == null) {
            throw c.error(
                    q,
                    "quantizes " + spec.role().name().toLowerCase() + " '" + q.input()
                            + "', which must be an initializer, but is computed");
        }
        checkStorage(q, c);
        int[] ints = quantize(value, spec);
        DType fileType = spec.storage();
        int z = 0;
        if (spec.storage() == DType.I16) {
            z = uint8ZeroPoint(q, ints, c);
            fileType = DType.U8;
            for (int i = 0; i < ints.length; i++) {
                ints[i] += z;
            }
        }
        String integers = c.initializer(q.output() + "/int", Tensor.ofInts(fileType, value.shape(), ints));
        float[] scales = spec.scaleArray();
        boolean perChannel = scales.length > 1;
        Shape scaleShape = perChannel ? Shape.of(scales.length) : Shape.of();
        String scale = c.initializer(q.name() + "/scale", Tensor.ofFloats(scaleShape, scales));
        int[] zeroPoints = new int[scales.length];
        Arrays.fill(zeroPoints, z);
        String zeroPoint = c.initializer(q.name() + "/zero_point", Tensor.ofInts(fileType, scaleShape, zeroPoints));
        AttributeProto[] axis =
                perChannel ? new AttributeProto[] {OnnxAttrs.i("axis", spec.axis())} : new AttributeProto[0];
        c.emit(
                "DequantizeLinear",
                c.fresh(q.name() + "/DequantizeLinear"),
                List.of(integers, scale, zeroPoint),
                List.of(q.output()),
                axis);
    }

    /** Weights as int8 (or int16 integers that fit uint8 with a zero point), biases as int32. */
    private static void checkStorage(SimQuantizeNode q, WriteContext c) {
        QuantSpec spec = q.spec();
        boolean weight = spec.role() == QuantRole.WEIGHT;
        if (!(spec.storage() == DType.I8 || spec.storage() == DType.I32 || weight && spec.storage() == DType.I16)) {
            throw c.error(
                    q,
                    "stores " + spec.role().name().toLowerCase() + " '" + q.input() + "' as "
                            + spec.storage()
                            + ", but QDQ export writes weights as int8 (or uint8 with a zero point) and "
                            + "biases as int32");
        }
    }

    /**
     * The zero point that stores int16 weight integers (a pre-quantized model's uint8 weights less
     * their zero point) as uint8 again: -min, so that the smallest is 0; importing the file takes it
     * off and gives back the same integers. Integers spanning more than 256 values have no uint8 form.
     */
    private static int uint8ZeroPoint(SimQuantizeNode q, int[] ints, WriteContext c) {
        int min = Arrays.stream(ints).min().orElse(0);
        int max = Arrays.stream(ints).max().orElse(0);
        int z = Math.max(0, -min);
        if (max + z > 255) {
            throw c.error(
                    q,
                    "stores weight '" + q.input() + "' as int16 integers spanning [" + min + ", " + max
                            + "], but QDQ export writes 16-bit weights as uint8 with a zero point, which holds at most 256 values");
        }
        return z;
    }

    /** The integers SimQuantize rounds a constant to: clamp(rint(x / s[c])) per channel of the spec's axis. */
    static int[] quantize(Tensor value, QuantSpec spec) {
        float[] scales = spec.scaleArray();
        Shape s = value.shape();
        int inner = spec.axis() < 0 ? s.numel() : s.product(spec.axis() + 1, s.rank());
        int channels = spec.axis() < 0 ? 1 : s.dim(spec.axis());
        if (scales.length != 1 && scales.length != channels) {
            throw new IllegalStateException("spec has " + scales.length + " scales for " + channels + " channels");
        }
        int[] out = new int[value.numel()];
        for (int i = 0; i < out.length; i++) {
            float sc = scales[scales.length == 1 ? 0 : (i / inner) % channels];
            out[i] = QuantMath.quantize(value.getFloat(i), sc, spec.range());
        }
        return out;
    }
}

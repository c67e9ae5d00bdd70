package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QuantSpec;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.AttributeProto;
import dev.qtune.compiler.quant.QuantMath;
import java.util.List;

/**
 * Writes a calibrated SimQuantize node as standard ONNX QDQ (docs/formats.md, "QDQ export"):
 * an activation (or inherited) point becomes QuantizeLinear then DequantizeLinear with a float32
 * scalar scale and a zero point 0 of its storage type (uint8 or int8); a weight or bias point
 * becomes its integers as an initializer (int8 weights, int32 biases, quantized exactly as
 * SimQuantize does) read by DequantizeLinear, with 1-D scales and {@code axis} when per channel.
 */
final class QdqNodeWriter {
    private QdqNodeWriter() {
    }

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
            throw c.error(q, "quantizes tensor '" + q.tensor() + "' to " + spec.storage() + " [" + spec.range().min()
                    + ", " + spec.range().max() + "], but QuantizeLinear of opset " + OnnxWriter.OPSET
                    + " has only int8 and uint8: QDQ export supports activations of 2 to 8 bits");
        }
        if (spec.scales().size() != 1) {
            throw c.error(q, "quantizes activation '" + q.tensor() + "' with " + spec.scales().size()
                    + " scales, but activations must have one scale");
        }
        String scale = c.initializer(q.name() + "/scale", Tensor.scalar(spec.scale()));
        String zeroPoint = c.initializer(q.name() + "/zero_point",
                Tensor.ofInts(spec.storage(), Shape.of(), new int[] {spec.zeroPoint()}));
        String integer = c.fresh(q.output() + "/int");
        c.emit("QuantizeLinear", c.fresh(q.name() + "/QuantizeLinear"), List.of(q.input(), scale, zeroPoint),
                List.of(integer));
        c.emit("DequantizeLinear", c.fresh(q.name() + "/DequantizeLinear"), List.of(integer, scale, zeroPoint),
                List.of(q.output()));
    }

    private static void constant(SimQuantizeNode q, WriteContext c) {
        QuantSpec spec = q.spec();
        Tensor value = c.graph().initializers().get(q.input());
        if (value == null) {
            throw c.error(q, "quantizes " + spec.role().name().toLowerCase() + " '" + q.input()
                    + "', which must be an initializer, but is computed");
        }
        if (spec.storage() != DType.I8 && spec.storage() != DType.I32) {
            throw c.error(q, "stores " + spec.role().name().toLowerCase() + " '" + q.input() + "' as "
                    + spec.storage() + ", but QDQ export writes weights as int8 and biases as int32");
        }
        String integers = c.initializer(q.output() + "/int",
                Tensor.ofInts(spec.storage(), value.shape(), quantize(value, spec)));
        float[] scales = spec.scaleArray();
        boolean perChannel = scales.length > 1;
        Shape scaleShape = perChannel ? Shape.of(scales.length) : Shape.of();
        String scale = c.initializer(q.name() + "/scale", Tensor.ofFloats(scaleShape, scales));
        String zeroPoint = c.initializer(q.name() + "/zero_point",
                Tensor.ofInts(spec.storage(), scaleShape, new int[scales.length]));
        AttributeProto[] axis = perChannel ? new AttributeProto[] {OnnxAttrs.i("axis", spec.axis())} : new AttributeProto[0];
        c.emit("DequantizeLinear", c.fresh(q.name() + "/DequantizeLinear"), List.of(integers, scale, zeroPoint),
                List.of(q.output()), axis);
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

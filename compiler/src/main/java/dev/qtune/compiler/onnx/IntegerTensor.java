package dev.qtune.compiler.onnx;

import dev.qtune.compiler.onnx.proto.OnnxSubset.AttributeProto;
import java.util.List;

/**
 * An integer activation of a model with quantized operators, and the quantization that gives its
 * integers a real value: the names of its scale and zero point (the zero point "" when the file has
 * none), the attributes ({@code axis}) of the QuantizeLinear that made it, and which node that was,
 * for messages. {@link QLinearExpander} reads every such tensor through one DequantizeLinear with
 * exactly these parameters.
 */
record IntegerTensor(String name, String scale, String zeroPoint, List<AttributeProto> attributes, String origin) {
    IntegerTensor {
        attributes = List.copyOf(attributes);
    }

    /** The same quantization carried to {@code value}, which {@code origin} wrote. */
    IntegerTensor carriedTo(String value, String newOrigin) {
        return new IntegerTensor(value, scale, zeroPoint, attributes, newOrigin);
    }
}

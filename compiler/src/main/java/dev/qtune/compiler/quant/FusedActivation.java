package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.ClipNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.Tensor;
import java.util.List;
import java.util.Optional;

/**
 * A Relu, or a Clip with constant bounds and min >= 0 (ReLU6 is Clip(0, 6)), that is the only
 * reader of a quantized layer's output: the layer fuses it into the saturation of its output
 * stage. Quantization is monotone, so clamp(rint(clip(x, a, b) / s) + z) equals
 * clamp(rint(x / s) + z) clamped again to [z + rint(a / s), z + rint(b / s)]
 * (docs/integer-semantics.md, "Convolution and dense layers").
 */
public record FusedActivation(Node node, float min, float max) {
    /** The activation fused into the producer of {@code v}, if {@code v}'s only reader is one and not a graph output. */
    public static Optional<FusedActivation> reading(Graph g, String v) {
        if (g.outputNames().contains(v)) {
            return Optional.empty();
        }
        List<Node> readers = g.consumers(v);
        if (readers.size() != 1) {
            return Optional.empty();
        }
        Node r = readers.get(0);
        if (r instanceof ReluNode) {
            return Optional.of(new FusedActivation(r, 0f, Float.POSITIVE_INFINITY));
        }
        if (r instanceof ClipNode clip && clip.input().equals(v)) {
            Float min = clip.min().map(name -> scalar(g, name)).orElse(null);
            Float max = clip.max().isEmpty()
                    ? Float.valueOf(Float.POSITIVE_INFINITY)
                    : clip.max().map(name -> scalar(g, name)).orElse(null);
            if (min != null && max != null && min >= 0 && max >= min) {
                return Optional.of(new FusedActivation(r, min, max));
            }
        }
        return Optional.empty();
    }

    /** The value the fused layer's quantization point reads: the activation's output. */
    public String output() {
        return node.output();
    }

    /** {@code range} narrowed to the integers of [min, max] at scale {@code s} and zero point {@code z}. */
    public IntRange narrow(IntRange range, float s, int z) {
        IntRange wide = new IntRange(Integer.MIN_VALUE / 2, Integer.MAX_VALUE / 2);
        int lo = Math.min(range.max(), Math.max(range.min(), QuantMath.quantize(min, s, z, wide)));
        int top = Float.isInfinite(max) ? range.max() : QuantMath.quantize(max, s, z, wide);
        return new IntRange(lo, Math.max(lo, Math.min(range.max(), top)));
    }

    /** A scalar constant, or null when the value is computed or not a scalar. */
    private static Float scalar(Graph g, String name) {
        Optional<Tensor> t = g.constant(name);
        return t.filter(x -> x.numel() == 1).map(x -> x.getFloat(0)).orElse(null);
    }
}

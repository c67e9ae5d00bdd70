package dev.qtune.evaluator.quant;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.quant.QuantConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * Bytes of a model's constants as quantized: integer weights at their bit width (4-bit weights
 * count half a byte each), everything else at its storage size (int32 biases 4 bytes, fp32 4).
 */
public final class ModelSize {
    private ModelSize() {}

    public static long bytes(Graph realized, QuantConfig config) {
        Map<String, Integer> weightBits = new HashMap<>();
        for (Node n : realized.nodes()) {
            if (n instanceof QConv2dNode || n instanceof QDenseNode) {
                weightBits.put(n.inputs().get(1), config.forLayer(n.name()).weightBits());
            }
        }
        long bits = 0;
        for (Map.Entry<String, Tensor> e : realized.initializers().entrySet()) {
            Tensor t = e.getValue();
            int perElement =
                    weightBits.getOrDefault(e.getKey(), Math.min(32, t.dtype().bits()));
            bits += (long) t.numel() * perElement;
        }
        return (bits + 7) / 8;
    }
}

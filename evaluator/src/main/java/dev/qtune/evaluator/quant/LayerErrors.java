package dev.qtune.evaluator.quant;

import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.interp.IntegerInterpreter;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.evaluator.data.Dataset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Per-layer signal-to-quantization-noise ratio: each QConv/QDense output, dequantized, against the
 * fp32 tensor it stands for ({@link Requantize#tensor()}), summed over a few samples:
 * SQNR = 10 log10(sum x^2 / sum (x - (q - z) * s)^2), with the output's zero point z.
 */
final class LayerErrors {
    private LayerErrors() {}

    /** SQNR in dB by realized layer name, over the first {@code samples} items of {@code data}. */
    static Map<String, OptionalDouble> sqnr(Graph fp32, Graph realized, Dataset data, int samples) {
        Map<String, Requantize> byOutput = new HashMap<>();
        Map<String, String> layerOf = new HashMap<>();
        for (Node n : realized.nodes()) {
            Requantize rq =
                    n instanceof QConv2dNode c ? c.requantize() : n instanceof QDenseNode d ? d.requantize() : null;
            if (rq != null) {
                byOutput.put(n.output(), rq);
                layerOf.put(n.output(), n.name());
            }
        }
        Map<String, Tensor> reference = new HashMap<>();
        Map<String, Tensor> quantized = new HashMap<>();
        int n = Math.min(samples, data.count());
        float[] x = data.batch(0, n);
        Set<String> wanted = new HashSet<>();
        byOutput.values().forEach(rq -> wanted.add(rq.tensor()));
        new Fp32Interpreter(fp32).run(x, n, (name, t) -> {
            if (wanted.contains(name)) {
                reference.put(name, t);
            }
        });
        new IntegerInterpreter(realized).run(x, n, (name, t) -> {
            if (byOutput.containsKey(name)) {
                quantized.put(name, t);
            }
        });
        Map<String, OptionalDouble> result = new HashMap<>();
        byOutput.forEach((out, rq) -> result.put(
                layerOf.get(out),
                db(reference.get(rq.tensor()), quantized.get(out), rq.outputScale(), rq.zeroPoint())));
        return result;
    }

    static OptionalDouble db(Tensor ref, Tensor q, float scale, int zeroPoint) {
        if (ref == null || q == null || ref.numel() != q.numel()) {
            return OptionalDouble.empty();
        }
        double signal = 0;
        double noise = 0;
        float[] r = ref.floats();
        int[] qi = q.ints();
        for (int i = 0; i < r.length; i++) {
            double e = r[i] - (double) (qi[i] - zeroPoint) * scale;
            signal += (double) r[i] * r[i];
            noise += e * e;
        }
        return OptionalDouble.of(noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise));
    }
}

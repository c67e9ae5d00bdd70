package dev.qtune.compiler.quant;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.ir.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Realizes one quantized Conv, Gemm or MatMul: integer weights (one row per output channel),
 * int32 bias as its quantization point says (scale float32(s_x * s_w[o])), per-channel multipliers
 * s_x * s_w[o] / s_y, and the check that
 * the accumulation cannot overflow. An input zero point z_x is folded into the bias:
 * bias[o] - z_x * sum_k w[o][k], with padding reading z_x (docs/integer-semantics.md, "Zero points").
 */
final class LayerRealizer {
    private LayerRealizer() {
    }

    static Node realize(Node n, IntValue x, SimQuantizeNode wq, Tensor w, Optional<SimQuantizeNode> bq,
                        Realizer.OutputPoint output, String outName, Map<String, Tensor> inits) {
        SimQuantizeNode point = output.point();
        float[] ws = wq.spec().scaleArray();
        boolean conv = n instanceof Conv2dNode;
        // Weights as [outputs, K] row-major: Conv OIHW already is; Gemm with transB is [N, K]; else transpose.
        boolean rowsAreOutputs = conv || (n instanceof GemmNode gemm && gemm.transB());
        int outputs = rowsAreOutputs ? w.shape().dim(0) : w.shape().dim(1);
        int k = w.numel() / outputs;
        int[] wq8 = new int[w.numel()];
        float[] wf = w.floats();
        for (int o = 0; o < outputs; o++) {
            float s = ws[ws.length == 1 ? 0 : o];
            for (int i = 0; i < k; i++) {
                float v = rowsAreOutputs ? wf[o * k + i] : wf[i * outputs + o];
                wq8[o * k + i] = QuantMath.quantize(v, s, wq.spec().range());
            }
        }
        Shape wShape = conv ? w.shape() : Shape.of(outputs, k);
        String wName = n.name() + "/weight_q";
        inits.put(wName, Tensor.ofInts(wq.spec().storage(), wShape, wq8));
        float sy = new QuantSpecView(point).scale();
        List<FixedPointMultiplier> ms = new ArrayList<>();
        for (int o = 0; o < outputs; o++) {
            ms.add(FixedPointMultiplier.of((double) x.scale() * ws[ws.length == 1 ? 0 : o] / sy));
        }
        List<String> ins = new ArrayList<>(List.of(x.name(), wName));
        long maxBias = 0;
        int[] biasQ = null;
        if (bq.isPresent()) {
            // Exactly what the simulated graph does: clamp(rint(b / s_b)) with s_b = float32(s_x * s_w[o]).
            Tensor b = inits.get(bq.get().input());
            float[] bs = bq.get().spec().scaleArray();
            checkBiasScales(n, x.scale(), ws, bs, outputs);
            int[] q = new int[outputs];
            for (int o = 0; o < outputs; o++) {
                q[o] = QuantMath.quantize(b.getFloat(b.numel() == 1 ? 0 : o), bs[bs.length == 1 ? 0 : o], bq.get().spec().range());
            }
            biasQ = q;
        }
        if (x.zeroPoint() != 0) {
            biasQ = compensated(n, biasQ == null ? new int[outputs] : biasQ, wq8, k, x.zeroPoint());
        }
        if (biasQ != null) {
            for (int v : biasQ) {
                maxBias = Math.max(maxBias, Math.abs((long) v));
            }
            String bName = n.name() + "/bias_q";
            inits.put(bName, Tensor.ofInts(DType.I32, Shape.of(outputs), biasQ));
            ins.add(bName);
        }
        checkAccumulator(n, k, x.range().levels(), wq.spec().range().levels(), maxBias);
        Requantize rq = requantize(ms, output);
        if (conv) {
            Conv2dNode c = (Conv2dNode) n;
            return new QConv2dNode(n.name(), ins, outName, c.window(), c.group(), rq, x.zeroPoint());
        }
        return new QDenseNode(n.name(), ins, outName, rq);
    }

    /**
     * The output stage for a quantization point: its range (narrowed by a fused Relu or Clip),
     * storage, rounding, scale and zero point.
     */
    static Requantize requantize(List<FixedPointMultiplier> ms, Realizer.OutputPoint output) {
        SimQuantizeNode point = output.point();
        float scale = new QuantSpecView(point).scale();
        int z = point.spec().zeroPoint();
        IntRange range = output.activation().map(a -> a.narrow(point.spec().range(), scale, z)).orElse(point.spec().range());
        return new Requantize(ms, point.spec().config().rounding(), range, point.spec().storage(), scale, point.tensor(), z);
    }

    /**
     * The bias that makes sum(x * w) equal sum((x - z) * w): bias[o] - z * sum_k w[o][k]; exact
     * because padding reads z too. It must fit int32 like any bias.
     */
    private static int[] compensated(Node n, int[] bias, int[] w, int k, int z) {
        int[] out = new int[bias.length];
        for (int o = 0; o < bias.length; o++) {
            long sum = 0;
            for (int i = 0; i < k; i++) {
                sum += w[o * k + i];
            }
            long v = bias[o] - (long) z * sum;
            if (v < -Integer.MAX_VALUE || v > Integer.MAX_VALUE) {
                throw new QtuneException("layer '" + n.name() + "': the bias of output channel " + o + " with the input "
                        + "zero point " + z + " folded in (" + bias[o] + " - " + z + " x " + sum + " = " + v
                        + ") does not fit int32");
            }
            out[o] = (int) v;
        }
        return out;
    }

    /**
     * The accumulator is at scale s_x * s_w[o], so the bias must be too: always so after
     * QuantizeCalibrate, checked for a pre-quantized model whose file gives the bias its own scale.
     * A file's bias scale may differ from the float32 product by up to 4 units in the last place
     * (tools that multiply in float64 and round once); its integers are then taken as they are,
     * at the accumulator's scale.
     */
    private static void checkBiasScales(Node n, float sx, float[] ws, float[] bs, int outputs) {
        for (int o = 0; o < outputs; o++) {
            float expected = sx * ws[ws.length == 1 ? 0 : o];
            float actual = bs[bs.length == 1 ? 0 : o];
            if (Math.abs(actual - expected) > 4 * Math.ulp(expected)) {
                throw new QtuneException("layer '" + n.name() + "': the bias scale of output channel " + o
                        + " must be input scale x weight scale = " + sx + " x " + ws[ws.length == 1 ? 0 : o] + " = "
                        + expected + " (float32), but was " + actual);
            }
        }
    }

    /**
     * Every sum of K products plus the bias must be exact: int32 accumulators where the worst case
     * fits, int64 otherwise (docs/integer-semantics.md); beyond 2^62 not even int64 is safe.
     */
    private static void checkAccumulator(Node n, int k, int xLevels, int wLevels, long maxBias) {
        double worst = (double) k * xLevels * wLevels + maxBias;
        if (worst > Math.scalb(1.0, 62)) {
            throw new QtuneException("layer '" + n.name() + "': " + k + " products of activations up to " + xLevels
                    + " and weights up to " + wLevels + " can overflow even a 64-bit accumulator");
        }
    }
}

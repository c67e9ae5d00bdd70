package dev.qtune.compiler.quant;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QuantRole;
import dev.qtune.compiler.ir.QuantSpec;
import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.ir.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Realize for a layer with a weight (Conv, Gemm, MatMul): when its weight (input 1) is a
 * quantization point, integer weights (one row per output channel), int32 bias as its
 * quantization point says (scale float32(s_x * s_w[o])), per-channel multipliers
 * s_x * s_w[o] / s_y, and the check that the accumulation cannot overflow. An input zero point z_x
 * is folded into the bias: bias[o] - z_x * sum_k w[o][k], with padding reading z_x
 * (docs/integer-semantics.md, "Zero points"). A layer the config skipped (fp32 weight) stays fp32.
 * The subclass of each op says how its weight is laid out and which integer op it becomes.
 */
abstract class LayerRealizeRule implements RealizeRule {
    /** Whether the rows of the stored weight {@code w} are the output channels (else its columns are). */
    abstract boolean rowsAreOutputs(Node n);

    /** The shape of the integer weight, stored [outputs, k] row-major in either case. */
    abstract Shape weightShape(Tensor w, int outputs, int k);

    /** The integer op for {@code n}: inputs x, weight and (if any) bias, output stage {@code rq}. */
    abstract Node integerNode(Node n, List<String> ins, String outName, Requantize rq, IntValue x);

    @Override
    public final void realize(Node n, Realizer r) {
        Optional<SimQuantizeNode> wq = r.graph()
                .producer(n.inputs().get(1))
                .filter(p -> p instanceof SimQuantizeNode w && w.spec().role() == QuantRole.WEIGHT)
                .map(SimQuantizeNode.class::cast);
        if (wq.isEmpty()) {
            r.fp32(n); // a layer the config skipped: its weights were not quantized
            return;
        }
        OutputPoint output = r.outputPoint(n);
        SimQuantizeNode point = output.point();
        IntValue x = r.intOf(n.inputs().get(0), "input of " + n.name());
        String outName = r.intName(point.output());
        Optional<SimQuantizeNode> bq =
                n.inputs().size() > 2 && !n.inputs().get(2).isEmpty()
                        ? Optional.of(biasPoint(r, n, n.inputs().get(2), x, wq.get()))
                        : Optional.empty();
        List<String> ins = new ArrayList<>(List.of(x.name()));
        List<FixedPointMultiplier> ms = integerOperands(r, n, x, wq.get(), bq, output.scale(), ins);
        r.emit(integerNode(n, ins, outName, output.requantize(ms), x));
        r.defineInt(point.output(), IntValue.of(outName, output.scale(), point.spec()));
    }

    /**
     * Adds the integer weight and bias of {@code n} to the realized graph and their names to
     * {@code ins}; returns the per-channel multipliers s_x * s_w[o] / s_y.
     */
    private List<FixedPointMultiplier> integerOperands(
            Realizer r,
            Node n,
            IntValue x,
            SimQuantizeNode wq,
            Optional<SimQuantizeNode> bq,
            float sy,
            List<String> ins) {
        Tensor w = r.graph().initializers().get(wq.input());
        float[] ws = wq.spec().scaleArray();
        int outputs = rowsAreOutputs(n) ? w.shape().dim(0) : w.shape().dim(1);
        int k = w.numel() / outputs;
        int[] wq8 = integerWeights(n, w, wq, outputs, k);
        String wName = n.name() + "/weight_q";
        r.addInitializer(wName, Tensor.ofInts(wq.spec().storage(), weightShape(w, outputs, k), wq8));
        ins.add(wName);
        List<FixedPointMultiplier> ms = new ArrayList<>();
        for (int o = 0; o < outputs; o++) {
            ms.add(FixedPointMultiplier.of((double) x.scale() * ws[ws.length == 1 ? 0 : o] / sy));
        }
        int[] biasQ = bq.map(b -> integerBias(r, n, x, ws, b, outputs)).orElse(null);
        if (x.zeroPoint() != 0) {
            biasQ = compensated(n, biasQ == null ? new int[outputs] : biasQ, wq8, k, x.zeroPoint());
        }
        long maxBias = 0;
        if (biasQ != null) {
            for (int v : biasQ) {
                maxBias = Math.max(maxBias, Math.abs((long) v));
            }
            String bName = n.name() + "/bias_q";
            r.addInitializer(bName, Tensor.ofInts(DType.I32, Shape.of(outputs), biasQ));
            ins.add(bName);
        }
        checkAccumulator(n, k, x.range().levels(), wq.spec().range().levels(), maxBias);
        return ms;
    }

    /** The weight's integers as [outputs, k] row-major: clamp(rint(w / s_w[o])). */
    private int[] integerWeights(Node n, Tensor w, SimQuantizeNode wq, int outputs, int k) {
        boolean rowsAreOutputs = rowsAreOutputs(n);
        float[] ws = wq.spec().scaleArray();
        int[] wq8 = new int[w.numel()];
        float[] wf = w.floats();
        for (int o = 0; o < outputs; o++) {
            float s = ws[ws.length == 1 ? 0 : o];
            for (int i = 0; i < k; i++) {
                float v = rowsAreOutputs ? wf[o * k + i] : wf[i * outputs + o];
                wq8[o * k + i] = QuantMath.quantize(v, s, wq.spec().range());
            }
        }
        return wq8;
    }

    /** Exactly what the simulated graph does: clamp(rint(b / s_b)) with s_b = float32(s_x * s_w[o]). */
    private static int[] integerBias(Realizer r, Node n, IntValue x, float[] ws, SimQuantizeNode bq, int outputs) {
        Tensor b = r.initializer(bq.input());
        float[] bs = bq.spec().scaleArray();
        checkBiasScales(n, x.scale(), ws, bs, outputs);
        int[] q = new int[outputs];
        for (int o = 0; o < outputs; o++) {
            float s = bs[bs.length == 1 ? 0 : o];
            q[o] = QuantMath.quantize(
                    b.getFloat(b.numel() == 1 ? 0 : o), s, bq.spec().range());
        }
        return q;
    }

    /**
     * The quantization point of a layer's bias: its SimQuantize, or, for a pre-quantized file
     * whose bias is a plain fp32 constant, an int32 point at the accumulator's scale
     * float32(s_x * s_w[o]), as qtune's own annotate would give it.
     */
    private static SimQuantizeNode biasPoint(Realizer r, Node n, String bias, IntValue x, SimQuantizeNode wq) {
        Optional<Node> producer = r.graph().producer(bias);
        if (producer.isPresent() && producer.get() instanceof SimQuantizeNode q) {
            return q;
        }
        if (producer.isPresent() || !r.graph().initializers().containsKey(bias)) {
            throw new QtuneException("realize: the bias '" + bias + "' of " + n.opType() + " node '" + n.name()
                    + "' must be a constant or quantized, but is computed by "
                    + producer.map(Node::name).orElse("nothing"));
        }
        List<Float> scales = new ArrayList<>();
        for (float sw : wq.spec().scaleArray()) {
            scales.add(x.scale() * sw);
        }
        QuantSpec spec = new QuantSpec(
                QuantRole.BIAS,
                DType.I32,
                IntRange.BIAS,
                scales.size() > 1 ? 0 : -1,
                wq.spec().config(),
                scales);
        return new SimQuantizeNode(n.name() + "/bias/simq", List.of(bias), bias + "/q@" + n.name(), bias, spec);
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
                throw new QtuneException("layer '" + n.name() + "': the bias of output channel " + o
                        + " with the input zero point " + z + " folded in (" + bias[o] + " - " + z + " x " + sum + " = "
                        + v
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

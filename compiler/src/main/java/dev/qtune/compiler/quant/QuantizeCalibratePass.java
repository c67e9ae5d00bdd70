package dev.qtune.compiler.quant;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QuantRole;
import dev.qtune.compiler.ir.QuantSpec;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.pass.Pass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sets the scale of every SimQuantize node: activations from the cached calibration statistics of
 * the tensor (threshold by the layer's calibration mode and bit width; with asymmetric activations
 * also a zero point), weights from the weights themselves (max or power2, per tensor or per output
 * channel), INHERIT points from the scale and zero point of the value their op read. Statistics
 * are never recollected here.
 */
public final class QuantizeCalibratePass implements Pass {
    private final CalibrationStats stats;
    private final QuantConfig config;

    public QuantizeCalibratePass(CalibrationStats stats, QuantConfig config) {
        this.stats = stats;
        this.config = config;
    }

    @Override
    public Set<String> requires() {
        return Set.of("QuantizeAnnotate");
    }

    @Override
    public Graph run(Graph g) {
        Map<String, Float> scaleOf = new HashMap<>();
        Map<String, Integer> zeroPointOf = new HashMap<>();
        Map<String, float[]> weightScales = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (n instanceof SimQuantizeNode q) {
                Scales p = scales(g, q, scaleOf, zeroPointOf, weightScales);
                if (q.spec().role() == QuantRole.WEIGHT) {
                    weightScales.put(q.output(), p.scales());
                }
                List<Float> list = new ArrayList<>();
                for (float s : p.scales()) {
                    list.add(s);
                }
                q = q.withSpec(q.spec().withScales(list).withZeroPoint(p.zeroPoint()));
                if (p.scales().length == 1) {
                    scaleOf.put(q.output(), p.scales()[0]);
                    zeroPointOf.put(q.output(), p.zeroPoint());
                }
                nodes.add(q);
            } else {
                nodes.add(n);
            }
        }
        return g.withNodes(nodes);
    }

    /** The scales of one point (one, or one per channel) and its zero point. */
    private record Scales(float[] scales, int zeroPoint) {}

    /** The scales of one point by its role. */
    private Scales scales(
            Graph g,
            SimQuantizeNode q,
            Map<String, Float> scaleOf,
            Map<String, Integer> zeroPointOf,
            Map<String, float[]> weightScales) {
        return switch (q.spec().role()) {
            case ACTIVATION -> {
                ActivationPoint a = activationPoint(q);
                yield new Scales(new float[] {a.scale()}, a.zeroPoint());
            }
            case WEIGHT -> new Scales(weightScales(q, g.initializers().get(q.input())), 0);
            case INHERIT -> {
                String source = inheritedValue(g, q.input(), q, scaleOf);
                yield new Scales(new float[] {scaleOf.get(source)}, zeroPointOf.getOrDefault(source, 0));
            }
            case BIAS -> new Scales(biasScales(g, q, scaleOf, weightScales), 0);
            default ->
                throw new IllegalStateException(
                        "no calibration rule for role " + q.spec().role());
        };
    }

    /** An activation's scale and zero point. */
    record ActivationPoint(float scale, int zeroPoint) {}

    /**
     * The scale (and zero point) of an activation point. Symmetric, and every value that is
     * non-negative on the calibration data: threshold t by the layer's mode and the range's levels,
     * scale t / levels, zero point 0. Asymmetric (an unsigned range for a value that was negative
     * on the calibration data): t by the layer's mode with the levels of the signed range of the
     * same bits (127 for 8 bits), then the clipping range [max(min, -t), min(max, t)] (widened to
     * hold 0) spread over all 2^b - 1 steps: s = (hi - lo) / (2^b - 1), z = clamp(rint(-lo / s)).
     */
    private ActivationPoint activationPoint(SimQuantizeNode q) {
        QuantSpec spec = q.spec();
        LayerQuantConfig c = spec.config();
        TensorStats s = stats.get(q.tensor())
                .orElseThrow(() -> new QtuneException(
                        "no calibration statistics for tensor '" + q.tensor() + "' (statistics of another model?)"));
        boolean power2 = c.activationCalibration() == CalibrationMode.POWER2;
        boolean asymmetric = c.asymmetricActivations() && spec.range().min() == 0 && s.min() < 0;
        int levels = asymmetric
                ? IntRange.signed(c.activationBits()).levels()
                : spec.range().levels();
        double threshold = Calibrators.threshold(
                c.activationCalibration(),
                new ThresholdCalibrator.Request(s, levels, c.percentile(), config.globalScale()));
        if (!asymmetric) {
            return new ActivationPoint(QuantMath.scale(threshold, levels, power2), 0);
        }
        return asymmetricPoint(
                Math.max(s.min(), -threshold), Math.max(0, Math.min(s.max(), threshold)), spec.range(), power2);
    }

    /** Scale and zero point that put the real range [lo, hi] (lo < 0 <= hi) on {@code range} = [0, 2^b - 1]. */
    static ActivationPoint asymmetricPoint(double lo, double hi, IntRange range, boolean power2) {
        float scale = QuantMath.scale(hi - lo, range.max(), power2);
        int zeroPoint = range.clamp((long) Math.rint(-lo / scale));
        return new ActivationPoint(scale, zeroPoint);
    }

    private static float[] weightScales(SimQuantizeNode q, Tensor w) {
        QuantSpec spec = q.spec();
        boolean power2 = spec.config().weightScale() == WeightScaleMode.POWER2;
        int levels = spec.range().levels();
        float[] wf = w.floats();
        if (spec.axis() < 0) {
            double max = 0;
            for (float v : wf) {
                max = Math.max(max, Math.abs(v));
            }
            return new float[] {QuantMath.scale(max, levels, power2)};
        }
        int channels = w.shape().dim(spec.axis());
        int inner = w.shape().product(spec.axis() + 1, w.shape().rank());
        double[] max = new double[channels];
        for (int i = 0; i < wf.length; i++) {
            int c = (i / inner) % channels;
            max[c] = Math.max(max[c], Math.abs(wf[i]));
        }
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = QuantMath.scale(max[c], levels, power2);
        }
        return scales;
    }

    /**
     * A bias's scales: s_in * s_w[o] as a float32 product, from the layer that reads it (its input
     * and weight quantization points come before the bias's in graph order).
     */
    private static float[] biasScales(
            Graph g, SimQuantizeNode q, Map<String, Float> scaleOf, Map<String, float[]> weightScales) {
        Node layer = g.consumers(q.output()).get(0);
        float sx = inheritedScale(g, layer.inputs().get(0), q, scaleOf);
        float[] sw = weightScales.get(layer.inputs().get(1));
        if (sw == null) {
            throw new QtuneException("bias point '" + q.name() + "' belongs to a layer without quantized weights");
        }
        int channels = g.initializers().get(q.input()).numel();
        float[] s = new float[sw.length == 1 ? 1 : channels];
        for (int o = 0; o < s.length; o++) {
            s[o] = sx * sw[sw.length == 1 ? 0 : o];
        }
        return s;
    }

    /** The scale of value {@code v} (the output of a quantization point, or of pass-through ops after one). */
    private static float inheritedScale(Graph g, String v, SimQuantizeNode q, Map<String, Float> scaleOf) {
        return scaleOf.get(inheritedValue(g, v, q, scaleOf));
    }

    /** The quantization point output whose scale value {@code v} carries: v itself, or the one before pass-through ops. */
    private static String inheritedValue(Graph g, String v, SimQuantizeNode q, Map<String, Float> scaleOf) {
        for (int depth = 0; depth < 64; depth++) {
            if (scaleOf.containsKey(v)) {
                return v;
            }
            Node producer = g.producer(v)
                    .orElseThrow(() -> new QtuneException("SimQuantize node '" + q.name()
                            + "' inherits a scale, but no quantized value precedes it"));
            v = producer.inputs().get(0);
        }
        throw new QtuneException("SimQuantize node '" + q.name() + "': no quantized value within 64 nodes before it");
    }
}

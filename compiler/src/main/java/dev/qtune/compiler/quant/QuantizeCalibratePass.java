package dev.qtune.compiler.quant;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
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
 * the tensor (threshold by the layer's calibration mode and bit width), weights from the weights
 * themselves (max or power2, per tensor or per output channel), INHERIT points from the scale of
 * the value their op read. Statistics are never recollected here.
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
        Map<String, float[]> weightScales = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (n instanceof SimQuantizeNode q) {
                float[] scales = switch (q.spec().role()) {
                    case ACTIVATION -> new float[] {activationScale(q)};
                    case WEIGHT -> weightScales(q, g.initializers().get(q.input()));
                    case INHERIT -> new float[] {inheritedScale(g, q.input(), q, scaleOf)};
                    case BIAS -> biasScales(g, q, scaleOf, weightScales);
                };
                if (q.spec().role() == dev.qtune.compiler.ir.QuantRole.WEIGHT) {
                    weightScales.put(q.output(), scales);
                }
                List<Float> list = new ArrayList<>();
                for (float s : scales) {
                    list.add(s);
                }
                q = q.withSpec(q.spec().withScales(list));
                if (scales.length == 1) {
                    scaleOf.put(q.output(), scales[0]);
                }
                nodes.add(q);
            } else {
                nodes.add(n);
            }
        }
        return g.withNodes(nodes);
    }

    private float activationScale(SimQuantizeNode q) {
        QuantSpec spec = q.spec();
        LayerQuantConfig c = spec.config();
        TensorStats s = stats.get(q.tensor()).orElseThrow(() -> new QtuneException(
                "no calibration statistics for tensor '" + q.tensor() + "' (statistics of another model?)"));
        int levels = spec.range().levels();
        double threshold = Calibrators.threshold(c.activationCalibration(),
                new ThresholdCalibrator.Request(s, levels, c.percentile(), config.globalScale()));
        return QuantMath.scale(threshold, levels, c.activationCalibration() == CalibrationMode.POWER2);
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
    private static float[] biasScales(Graph g, SimQuantizeNode q, Map<String, Float> scaleOf,
                                      Map<String, float[]> weightScales) {
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
        for (int depth = 0; depth < 64; depth++) {
            Float s = scaleOf.get(v);
            if (s != null) {
                return s;
            }
            Node producer = g.producer(v).orElseThrow(() -> new QtuneException(
                    "SimQuantize node '" + q.name() + "' inherits a scale, but no quantized value precedes it"));
            v = producer.inputs().get(0);
        }
        throw new QtuneException("SimQuantize node '" + q.name() + "': no quantized value within 64 nodes before it");
    }
}

package dev.qtune.evaluator.metric;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.evaluator.accuracy.OutputAgreement;
import dev.qtune.evaluator.data.Dataset;
import java.util.Arrays;

/**
 * Computes a {@link MetricSpec} for a model's outputs on the first {@code n} samples of a split:
 * {@code n x outputSize} floats, row by row, as the native runner and the fp32 interpreter give
 * them.
 */
public final class Metrics {
    private Metrics() {}

    /**
     * The metric's value. {@code reference} is the fp32 model's outputs on the same samples (needed
     * for agreement; may be null otherwise); {@code sampleShape} the shape of one sample's output
     * (written into the command's outputs.npy).
     *
     * @throws MetricException when the metric cannot be computed (no labels, no reference, a failed command)
     */
    public static double score(
            MetricSpec metric, Dataset data, int n, float[] outputs, int[] sampleShape, float[] reference) {
        if (n < 1 || outputs.length % n != 0) {
            throw new IllegalArgumentException(
                    "outputs must hold n >= 1 rows, but had " + outputs.length + " values for n = " + n);
        }
        if (metric.needsLabels() && !data.labeled()) {
            throw new MetricException("metric " + metric.label() + " needs labels, but " + data.name() + "/"
                    + data.split() + " has none; give the split labels, or use metric: agreement or a command");
        }
        return switch (metric.kind()) {
            case TOP1 -> topK(outputs, n, data, 1);
            case TOP_K -> topK(outputs, n, data, metric.k());
            case AGREEMENT -> {
                if (reference == null || reference.length < outputs.length) {
                    throw new MetricException("metric agreement needs the fp32 model's outputs on " + data.name() + "/"
                            + data.split() + ", which are not known here");
                }
                yield OutputAgreement.of(Arrays.copyOf(reference, outputs.length), outputs, n)
                        .agreement();
            }
            case COMMAND -> CommandMetric.run(metric, outputs, n, sampleShape, data.labeled() ? labels(data, n) : null);
        };
    }

    /**
     * Fraction of samples whose label is among the {@code k} highest outputs; ties go to the lower
     * class index (as argmax's first maximum), so top-1 is argmax accuracy.
     */
    static double topK(float[] outputs, int n, Dataset data, int k) {
        int classes = outputs.length / n;
        int hits = 0;
        for (int i = 0; i < n; i++) {
            int label = data.label(i);
            if (label >= classes) {
                continue;
            }
            int o = i * classes;
            float v = outputs[o + label];
            int rank = 0;
            for (int c = 0; c < classes && rank < k; c++) {
                float u = outputs[o + c];
                if (u > v || u == v && c < label) {
                    rank++;
                }
            }
            hits += rank < k ? 1 : 0;
        }
        return hits / (double) n;
    }

    /** The shape of one sample's output: the graph's first output without its batch axis, if that fits, else [size]. */
    public static int[] sampleShape(Graph graph, int outputSize) {
        try {
            Shape s = graph.type(graph.outputNames().get(0)).shape();
            if (s.rank() >= 2) {
                int[] dims = Arrays.copyOfRange(s.dims(), 1, s.rank());
                long p = 1;
                for (int d : dims) {
                    p *= d;
                }
                if (p == outputSize) {
                    return dims;
                }
            }
        } catch (RuntimeException e) {
            // an output without a known static type: the flat shape below
        }
        return new int[] {outputSize};
    }

    private static int[] labels(Dataset data, int n) {
        return Arrays.copyOf(data.labels(), n);
    }
}

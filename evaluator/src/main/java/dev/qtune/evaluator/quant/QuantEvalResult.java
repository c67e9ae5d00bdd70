package dev.qtune.evaluator.quant;

import dev.qtune.evaluator.accuracy.AccuracyResult;
import java.util.List;

/**
 * The result of evaluating a quantized model: integer and fp32 accuracy on the same samples, the
 * fraction of samples where their predictions agree, the simulated model's agreement with the
 * integer one (NaN when not measured), the size of the quantized constants, per-layer reports and how calibration went.
 */
public record QuantEvalResult(
        AccuracyResult integer,
        AccuracyResult fp32,
        double agreement,
        double simulatedAgreement,
        long sizeBytes,
        List<LayerReport> layers,
        CalibrationRun calibration) {
    public QuantEvalResult {
        layers = List.copyOf(layers);
    }

    /** Fraction of positions where two prediction arrays agree. */
    static double agreement(int[] a, int[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "prediction counts must match, but were " + a.length + " and " + b.length);
        }
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        return a.length == 0 ? 1 : (double) same / a.length;
    }
}

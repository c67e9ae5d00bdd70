package dev.qtune.experiments.config;

import java.util.Locale;

/**
 * The largest drop of the accuracy metric a trial may show against the fp32 model on the same
 * validation samples: {@code absolute} in percentage points for a metric that is a fraction
 * (top-1, top-k, agreement: 0.5 = half a point) and in the metric's own units for a command's
 * number, or {@code relative} as a fraction of the fp32 value (0.01 = 1%).
 */
public record AccuracyConstraint(boolean relative, double value) {
    public AccuracyConstraint {
        if (!(value >= 0) || relative && value > 1 || Double.isInfinite(value)) {
            throw new IllegalArgumentException(
                    "max_drop must be in [0, " + (relative ? "1" : "inf") + "), but was " + value);
        }
    }

    /** The lowest acceptable value of a metric whose fp32 value is {@code fp32}; {@code fraction}: absolute is in points. */
    public double minAccuracy(double fp32, boolean fraction) {
        return relative ? fp32 - Math.abs(fp32) * value : fp32 - (fraction ? value / 100 : value);
    }

    /** The lowest acceptable top-1 (a fraction) for a model whose fp32 top-1 is {@code fp32Top1}. */
    public double minTop1(double fp32Top1) {
        return relative ? fp32Top1 * (1 - value) : fp32Top1 - value / 100;
    }

    public String describe() {
        return describe("top-1", true);
    }

    /** "at most 0.50 points of top5 drop", "at most 0.02 of f1 drop", "at most 1.00% relative agreement drop". */
    public String describe(String metric, boolean fraction) {
        return relative
                ? String.format(Locale.ROOT, "at most %.2f%% relative %s drop", 100 * value, metric)
                : String.format(
                        Locale.ROOT,
                        fraction ? "at most %.2f points of %s drop" : "at most %.4g of %s drop",
                        value,
                        metric);
    }
}

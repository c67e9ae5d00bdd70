package dev.qtune.experiments.config;

/**
 * The largest top-1 drop a trial may show against the fp32 model on the same validation samples:
 * {@code absolute} in percentage points (0.5 = half a point) or {@code relative} as a fraction of
 * the fp32 top-1 (0.01 = 1%).
 */
public record AccuracyConstraint(boolean relative, double value) {
    public AccuracyConstraint {
        if (!(value >= 0) || relative && value > 1 || !relative && value > 100) {
            throw new IllegalArgumentException("max_drop must be in [0, " + (relative ? "1" : "100") + "], but was " + value);
        }
    }

    /** The lowest acceptable top-1 (a fraction) for a model whose fp32 top-1 is {@code fp32Top1}. */
    public double minTop1(double fp32Top1) {
        return relative ? fp32Top1 * (1 - value) : fp32Top1 - value / 100;
    }

    public String describe() {
        return relative ? String.format("at most %.2f%% relative top-1 drop", 100 * value)
                : String.format("at most %.2f points of top-1 drop", value);
    }
}

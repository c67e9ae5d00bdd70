package dev.qtune.compiler.quant;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Chooses the clipping threshold of one activation tensor from its calibration statistics: values
 * are clamped to [-threshold, threshold] (or [0, threshold] when unsigned) and quantized with the
 * scale {@code threshold / levels}. One implementation per {@link CalibrationMode}; see
 * {@link Calibrators} for the table.
 *
 * <p>Every mode returns 0 for a tensor whose absMax is 0 (all its values are zero): there is
 * nothing to clip, and the caller turns a zero threshold into scale 1.
 */
@FunctionalInterface
public interface ThresholdCalibrator {
    /** The threshold, >= 0; 0 only for an all-zero tensor. */
    double threshold(Request request);

    /**
     * What a calibrator needs: the statistics, the number of positive quantization levels
     * ({@link IntRange#levels()}: 127 for signed int8, 255 for unsigned u8 after ReLU), the
     * percentile for {@link CalibrationMode#PERCENTILE} (in (0, 100]) and the global scale for
     * {@link CalibrationMode#GLOBAL_SCALE} (other modes ignore the last two).
     */
    record Request(TensorStats stats, int levels, double percentile, OptionalDouble globalScale) {
        public Request {
            Objects.requireNonNull(stats, "stats");
            Objects.requireNonNull(globalScale, "globalScale");
            if (levels < 1) {
                throw new IllegalArgumentException("calibration levels must be >= 1, but was " + levels);
            }
            if (!(percentile > 0 && percentile <= 100)) {
                throw new IllegalArgumentException("calibration percentile must be in (0, 100], but was " + percentile);
            }
            if (globalScale.isPresent()
                    && !(globalScale.getAsDouble() > 0 && Double.isFinite(globalScale.getAsDouble()))) {
                throw new IllegalArgumentException(
                        "global scale must be finite and > 0, but was " + globalScale.getAsDouble());
            }
        }

        /** A request for {@code range}'s levels, with the default percentile and no global scale. */
        public static Request of(TensorStats stats, IntRange range) {
            return of(stats, range.levels());
        }

        /** A request for {@code levels}, with the default percentile and no global scale. */
        public static Request of(TensorStats stats, int levels) {
            return new Request(stats, levels, LayerQuantConfig.DEFAULT.percentile(), OptionalDouble.empty());
        }

        public Request withPercentile(double p) {
            return new Request(stats, levels, p, globalScale);
        }

        public Request withGlobalScale(double scale) {
            return new Request(stats, levels, percentile, OptionalDouble.of(scale));
        }

        /** True when every value of the tensor was zero (absMax 0). */
        public boolean allZero() {
            return stats.absMax() == 0;
        }
    }
}

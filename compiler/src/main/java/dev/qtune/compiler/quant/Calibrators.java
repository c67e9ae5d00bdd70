package dev.qtune.compiler.quant;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rule table from {@link CalibrationMode} to its {@link ThresholdCalibrator}. Every mode has an
 * entry; {@link #of} fails naming the mode should a new one be added without a rule.
 */
public final class Calibrators {
    private static final Map<CalibrationMode, ThresholdCalibrator> TABLE = table();
    /** Thresholds computed so far, per statistics object (identity: its histogram is an array) and request. */
    private static final Map<TensorStats, Map<List<Object>, Double>> ANSWERS =
            Collections.synchronizedMap(new WeakHashMap<>());

    private Calibrators() {}

    private static Map<CalibrationMode, ThresholdCalibrator> table() {
        Map<CalibrationMode, ThresholdCalibrator> t = new EnumMap<>(CalibrationMode.class);
        t.put(CalibrationMode.MAX, new MaxCalibrator());
        t.put(CalibrationMode.POWER2, new Power2Calibrator());
        t.put(CalibrationMode.KL, new KlDivergenceCalibrator());
        t.put(CalibrationMode.PERCENTILE, new PercentileCalibrator());
        t.put(CalibrationMode.MSE, new MseCalibrator());
        t.put(CalibrationMode.GLOBAL_SCALE, Calibrators::globalScale);
        return t;
    }

    /** The calibrator of {@code mode}. */
    public static ThresholdCalibrator of(CalibrationMode mode) {
        ThresholdCalibrator c = TABLE.get(mode);
        if (c == null) {
            throw new IllegalArgumentException(
                    "calibration mode must be one of " + TABLE.keySet() + ", but was " + mode);
        }
        return c;
    }

    /**
     * The threshold of {@code request} under {@code mode}. A calibrator's answer depends only on
     * the request, and a search asks the same ones in every trial (KL over 2,048 candidate
     * thresholds took most of a trial's 0.35 s of calibration), so answers are kept per statistics
     * object, weakly: they go when the model's statistics do.
     */
    public static double threshold(CalibrationMode mode, ThresholdCalibrator.Request request) {
        Map<List<Object>, Double> answers = ANSWERS.computeIfAbsent(request.stats(), s -> new ConcurrentHashMap<>());
        List<Object> key = List.of(mode, request.levels(), request.percentile(), request.globalScale());
        Double t = answers.get(key);
        if (t == null) {
            t = of(mode).threshold(request);
            answers.put(key, t);
        }
        return t;
    }

    /**
     * {@link CalibrationMode#GLOBAL_SCALE} (TVM's global_scale mode): the configured global scale
     * is the threshold of every activation, whatever its statistics (0 for an all-zero tensor, as
     * for every mode). The request must carry one.
     */
    private static double globalScale(ThresholdCalibrator.Request request) {
        if (request.allZero()) {
            return 0;
        }
        if (request.globalScale().isEmpty()) {
            throw new IllegalArgumentException("global_scale must be set for calibration mode GLOBAL_SCALE (tensor '"
                    + request.stats().name() + "'), but was not");
        }
        return request.globalScale().getAsDouble();
    }
}

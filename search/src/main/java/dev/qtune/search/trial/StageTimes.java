package dev.qtune.search.trial;

/**
 * Seconds per stage of one trial: calibrate (thresholds from the cached statistics: annotate and
 * calibrate passes), quantize (realize the integer graph), compile (emit C and build, or the
 * compile cache), accuracy (native inference on the validation samples), latency (benchmark,
 * including waiting for the host's benchmark lock), and total (wall clock of the whole trial).
 */
public record StageTimes(
        double calibrate, double quantize, double compile, double accuracy, double latency, double total) {
    public static final StageTimes NONE = new StageTimes(0, 0, 0, 0, 0, 0);
}

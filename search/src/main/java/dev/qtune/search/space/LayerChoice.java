package dev.qtune.search.space;

import dev.qtune.compiler.quant.CalibrationMode;
import dev.qtune.compiler.quant.Granularity;

import java.util.Map;

/**
 * The decoded choices of one quantizable layer: bits, calibration, granularity, whether it stays
 * in fp32 ({@code skip}), and its schedule knobs (empty when skipped: fp32 kernels have none).
 */
public record LayerChoice(String layer, String op, int weightBits, int activationBits, CalibrationMode calibration,
                          Granularity granularity, boolean skip, Map<String, Integer> knobs) {
    public LayerChoice {
        knobs = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(knobs));
    }
}

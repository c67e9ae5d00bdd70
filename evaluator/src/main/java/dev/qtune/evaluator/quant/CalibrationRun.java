package dev.qtune.evaluator.quant;

/** How the calibration statistics of a quantized evaluation were obtained. */
public record CalibrationRun(int samples, boolean cacheHit, double seconds, String file) {}

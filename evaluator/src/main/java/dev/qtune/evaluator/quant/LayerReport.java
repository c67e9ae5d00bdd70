package dev.qtune.evaluator.quant;

import java.util.OptionalDouble;

/**
 * One quantizable layer of a quantized model: its bit widths (0 when kept in fp32) and the SQNR in
 * dB of its output against the fp32 model's same tensor (empty for fp32 layers; infinite when exact).
 */
public record LayerReport(
        String name, String op, int weightBits, int activationBits, boolean fp32, OptionalDouble sqnrDb) {}

package dev.qtune.targets;

import java.util.Objects;

/**
 * Sustained one-core multiply-accumulate rates of a target on this host, in GMAC/s (one MAC = one
 * multiply-add of one element pair), as measured by {@link PeakBenchmark}.
 *
 * @param fp32Gmacs       fp32 fused multiply-add (plain multiply and add for generic-c)
 * @param int8Gmacs       u8*s8 products with the target's best int8 instruction
 * @param int16Gmacs      the exact 16-bit path (vpmaddwd, smlal)
 * @param int8Instruction the int8 instruction(s) measured, e.g. {@code vpdpbusd}, {@code vpmaddubsw+vpmaddwd}, {@code c}
 */
public record PeakResult(double fp32Gmacs, double int8Gmacs, double int16Gmacs, String int8Instruction) {
    public PeakResult {
        requirePositive("fp32Gmacs", fp32Gmacs);
        requirePositive("int8Gmacs", int8Gmacs);
        requirePositive("int16Gmacs", int16Gmacs);
        if (Objects.requireNonNull(int8Instruction, "int8Instruction").isBlank()) {
            throw new IllegalArgumentException("int8Instruction must be non-blank, but was '" + int8Instruction + "'");
        }
    }

    private static void requirePositive(String what, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be a positive finite number, but was " + v);
        }
    }
}

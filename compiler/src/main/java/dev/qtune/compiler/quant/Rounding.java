package dev.qtune.compiler.quant;

/** How requantization rounds a tie (a result exactly halfway between two integers), as TVM's qnn.requantize. */
public enum Rounding {
    /** Ties toward +infinity: (p + 2^(n-1)) >> n. */
    UPWARD,
    /** Ties away from zero. */
    TONEAREST
}

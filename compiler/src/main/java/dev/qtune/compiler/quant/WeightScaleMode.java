package dev.qtune.compiler.quant;

/** How a weight scale is derived from the weights' largest magnitude. */
public enum WeightScaleMode {
    /** scale = max|w| / qmax. */
    MAX,
    /** scale = max|w| / qmax rounded up to a power of two, so requantization is a pure shift. */
    POWER2
}

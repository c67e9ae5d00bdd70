package dev.qtune.compiler.quant;

/**
 * How an activation that may be negative is laid on its integer range (docs/integer-semantics.md,
 * "Zero points"). Activations that are non-negative by construction are unsigned with zero point
 * 0 either way, and 16-bit activations are always symmetric.
 */
public enum ActivationMode {
    /** Signed symmetric, zero point 0: [-t, t] on [-(2^(b-1) - 1), 2^(b-1) - 1]. */
    SYMMETRIC,
    /**
     * Unsigned with a zero point (PyTorch's and ONNX Runtime's affine activations): the clipping
     * range [lo, hi], lo <= 0 <= hi, on [0, 2^b - 1], so a skewed range such as [-0.81, 2.02] gets
     * all 2^b levels instead of the ~70% that [-2.02, 2.02] leaves it.
     */
    ASYMMETRIC
}

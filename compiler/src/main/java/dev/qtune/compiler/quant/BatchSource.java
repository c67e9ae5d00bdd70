package dev.qtune.compiler.quant;

/**
 * Supplies calibration input batches: samples {@code [start, start + n)} as one float array laid
 * out as the graph input with the batch axis bound to {@code n} (NCHW for images). Called from
 * several threads at once, so an implementation must not share mutable state between calls
 * (an evaluator {@code Dataset::batch} qualifies).
 */
@FunctionalInterface
public interface BatchSource {
    float[] batch(int start, int n);
}

package dev.qtune.evaluator.data;

/** Memory layout of the float batches a {@link Dataset} fills. */
public enum Layout {
    /** Batch, channels, height, width: {@code [n, c, h, w]}, width fastest. */
    NCHW
}

package dev.qtune.evaluator.data;

/**
 * Memory layout of a dataset's rank-4 NumPy image arrays. The float batches a {@link Dataset}
 * fills are always NCHW, the input layout of the ONNX models qtune reads; NHWC arrays are
 * transposed when they are loaded.
 */
public enum Layout {
    /** Batch, channels, height, width: {@code [n, c, h, w]}, width fastest. */
    NCHW,
    /** Batch, height, width, channels: {@code [n, h, w, c]}, channels fastest (TensorFlow, PIL arrays). */
    NHWC
}

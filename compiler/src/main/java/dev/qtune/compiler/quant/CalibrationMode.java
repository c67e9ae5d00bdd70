package dev.qtune.compiler.quant;

/** How an activation tensor's clipping threshold is chosen from its calibration statistics. */
public enum CalibrationMode {
    /** The largest magnitude seen. */
    MAX,
    /** The largest magnitude seen, rounded up so that the scale is a power of two (TVM's power2). */
    POWER2,
    /** The threshold minimising the KL divergence between the clipped and quantized distributions (TensorRT, MXNet, TVM). */
    KL,
    /** The given percentile of the magnitudes. */
    PERCENTILE,
    /** The threshold minimising the mean squared quantization error over the histogram. */
    MSE,
    /** The config's fixed global_scale for every activation (TVM's global_scale mode). */
    GLOBAL_SCALE
}

package dev.qtune.compiler.ir;

/** What a simulated-quantization point quantizes. */
public enum QuantRole {
    /** An activation: scale from the calibration statistics of the tensor. */
    ACTIVATION,
    /** A constant weight tensor: scale from the weights themselves, per tensor or per output channel. */
    WEIGHT,
    /** A constant bias of a quantized layer: int32 at scale s_in * s_w (per output channel). */
    BIAS,
    /** The output of an op that keeps its input's scale (average pools): scale inherited, values re-rounded. */
    INHERIT
}

package dev.qtune.compiler.ir;

/** What a simulated-quantization point quantizes. */
public enum QuantRole {
    /** An activation: scale from the calibration statistics of the tensor. */
    ACTIVATION,
    /** A constant weight tensor: scale from the weights themselves, per tensor or per output channel. */
    WEIGHT,
    /** The output of an op that keeps its input's scale (average pools): scale inherited, values re-rounded. */
    INHERIT
}

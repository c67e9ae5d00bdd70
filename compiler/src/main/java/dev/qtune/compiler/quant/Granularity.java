package dev.qtune.compiler.quant;

/** Whether a weight tensor has one scale or one per output channel. */
public enum Granularity {
    PER_TENSOR,
    PER_CHANNEL
}

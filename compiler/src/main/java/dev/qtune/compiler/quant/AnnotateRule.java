package dev.qtune.compiler.quant;

/** What QuantizeAnnotate does with one op (the table is {@link AnnotateRules}). */
public enum AnnotateRule {
    /** Conv, Gemm, MatMul with constant weights: quantize input and weights; the output gets a quantization point (after a fused Relu). */
    COMPUTE,
    /** Add, Concat: integer when every input is; the output gets its own quantization point. */
    MERGE,
    /** MaxPool, Relu, Flatten, Reshape, Identity, Dropout: exact on integers, the output keeps the input's scale. */
    PASS_THROUGH,
    /** AveragePool, GlobalAveragePool: keep the input's scale, but the average is re-rounded. */
    INHERIT,
    /** Everything that stays fp32 (reads dequantized values). */
    FP32
}

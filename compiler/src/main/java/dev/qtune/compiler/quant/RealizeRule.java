package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.Node;

/**
 * What QuantizeRealize does with one op of the annotated graph (the table is {@link RealizeRules}):
 * it reads the op's inputs from {@code r} (integer or fp32 form) and emits the realized nodes there,
 * recording the integer or fp32 form of the op's outputs.
 */
@FunctionalInterface
interface RealizeRule {
    void realize(Node n, Realizer r);
}

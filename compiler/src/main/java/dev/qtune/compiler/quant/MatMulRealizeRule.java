package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.Node;

/** Realize for a MatMul: B is [K, N], transposed on realize to one row per output. */
final class MatMulRealizeRule extends DenseRealizeRule {
    @Override
    boolean rowsAreOutputs(Node n) {
        return false;
    }
}

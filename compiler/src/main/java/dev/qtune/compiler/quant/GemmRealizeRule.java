package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.Node;

/** Realize for a Gemm: B is [N, K] (rows are outputs) with transB, [K, N] (transposed on realize) without. */
final class GemmRealizeRule extends DenseRealizeRule {
    @Override
    boolean rowsAreOutputs(Node n) {
        return ((GemmNode) n).transB();
    }
}

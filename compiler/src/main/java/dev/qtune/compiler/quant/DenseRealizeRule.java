package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import java.util.List;

/** Realize for a dense layer (Gemm, MatMul): a QDense whose weight is stored [outputs, k]. */
abstract class DenseRealizeRule extends LayerRealizeRule {
    @Override
    final Shape weightShape(Tensor w, int outputs, int k) {
        return Shape.of(outputs, k);
    }

    @Override
    final Node integerNode(Node n, List<String> ins, String outName, Requantize rq, IntValue x) {
        return new QDenseNode(n.name(), ins, outName, rq);
    }
}

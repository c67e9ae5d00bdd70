package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import java.util.List;

/** Realize for a Conv: a QConv2d whose weight keeps its OIHW shape (rows are output channels). */
final class Conv2dRealizeRule extends LayerRealizeRule {
    @Override
    boolean rowsAreOutputs(Node n) {
        return true;
    }

    @Override
    Shape weightShape(Tensor w, int outputs, int k) {
        return w.shape();
    }

    @Override
    Node integerNode(Node n, List<String> ins, String outName, Requantize rq, IntValue x) {
        Conv2dNode c = (Conv2dNode) n;
        return new QConv2dNode(n.name(), ins, outName, c.window(), c.group(), rq, x.zeroPoint());
    }
}

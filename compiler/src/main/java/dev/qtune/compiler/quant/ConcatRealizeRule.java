package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.ConcatNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QConcatNode;
import dev.qtune.compiler.ir.Requantize;
import java.util.List;

/** Realize for a Concat: a QConcat when every input is integer, else fp32. */
final class ConcatRealizeRule extends MergeRealizeRule {
    @Override
    boolean merges(Realizer r, Node n) {
        return true;
    }

    @Override
    Node integerNode(Node n, List<String> ins, String outName, Requantize rq, List<Integer> zeroPoints) {
        return new QConcatNode(n.name(), ins, outName, ((ConcatNode) n).axis(), rq, zeroPoints);
    }
}

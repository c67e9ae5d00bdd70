package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QAddNode;
import dev.qtune.compiler.ir.Requantize;
import java.util.List;

/**
 * Realize for a binary op: an Add that annotate merged (two computed inputs of one shape) becomes a
 * QAdd; every other binary op, and an Add with an input in fp32, stays fp32.
 */
final class AddRealizeRule extends MergeRealizeRule {
    @Override
    boolean merges(Realizer r, Node n) {
        return AnnotateRules.of(r.graph(), n) == AnnotateRule.MERGE;
    }

    @Override
    Node integerNode(Node n, List<String> ins, String outName, Requantize rq, List<Integer> zeroPoints) {
        return new QAddNode(n.name(), ins, outName, rq, zeroPoints);
    }
}

package dev.qtune.compiler.quant;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.AvgPool2dNode;
import dev.qtune.compiler.ir.BatchNormNode;
import dev.qtune.compiler.ir.BinaryNode;
import dev.qtune.compiler.ir.ClipNode;
import dev.qtune.compiler.ir.ConcatNode;
import dev.qtune.compiler.ir.ConstantNode;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.DropoutNode;
import dev.qtune.compiler.ir.FlattenNode;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.IdentityNode;
import dev.qtune.compiler.ir.MatMulNode;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.ReshapeNode;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.ir.SoftmaxNode;
import java.util.Map;
import java.util.Set;

/**
 * The realize rule table: one entry per op of an annotated graph (every op of {@link AnnotateRules}
 * and the SimQuantize nodes annotate inserts); an op without one is an error that names it.
 */
final class RealizeRules {
    /** Ops that stay fp32: they read the fp32 form of their inputs, dequantized where needed. */
    static final RealizeRule FP32 = (n, r) -> r.fp32(n);

    private static final Map<Class<? extends Node>, RealizeRule> RULES = Map.ofEntries(
            Map.entry(SimQuantizeNode.class, new QuantizePointRealizeRule()),
            Map.entry(Conv2dNode.class, new Conv2dRealizeRule()),
            Map.entry(GemmNode.class, new GemmRealizeRule()),
            Map.entry(MatMulNode.class, new MatMulRealizeRule()),
            Map.entry(BinaryNode.class, new AddRealizeRule()),
            Map.entry(ConcatNode.class, new ConcatRealizeRule()),
            Map.entry(ReluNode.class, PassThroughRealizeRule.RELU),
            Map.entry(MaxPool2dNode.class, PassThroughRealizeRule.EXACT),
            Map.entry(FlattenNode.class, PassThroughRealizeRule.EXACT),
            Map.entry(ReshapeNode.class, PassThroughRealizeRule.EXACT),
            Map.entry(IdentityNode.class, PassThroughRealizeRule.EXACT),
            Map.entry(
                    AvgPool2dNode.class,
                    PassThroughRealizeRule.averaging((n, z) -> ((AvgPool2dNode) n).withZeroPoint(z))),
            Map.entry(
                    GlobalAvgPoolNode.class,
                    PassThroughRealizeRule.averaging((n, z) -> ((GlobalAvgPoolNode) n).withZeroPoint(z))),
            Map.entry(DropoutNode.class, FP32),
            Map.entry(ClipNode.class, FP32),
            Map.entry(BatchNormNode.class, FP32),
            Map.entry(SoftmaxNode.class, FP32),
            Map.entry(ConstantNode.class, FP32));

    private RealizeRules() {}

    static RealizeRule of(Node n) {
        RealizeRule rule = RULES.get(n.getClass());
        if (rule == null) {
            throw new QtuneException(n.opType() + " node '" + n.name() + "' has no quantize-realize rule "
                    + "(declare it in RealizeRules, as FP32 if it cannot run on integers)");
        }
        return rule;
    }

    /** The ops that have a rule. */
    static Set<Class<? extends Node>> ops() {
        return RULES.keySet();
    }
}

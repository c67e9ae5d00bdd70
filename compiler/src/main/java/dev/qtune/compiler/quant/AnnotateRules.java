package dev.qtune.compiler.quant;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.AvgPool2dNode;
import dev.qtune.compiler.ir.BatchNormNode;
import dev.qtune.compiler.ir.BinaryNode;
import dev.qtune.compiler.ir.BinaryOp;
import dev.qtune.compiler.ir.ClipNode;
import dev.qtune.compiler.ir.ConcatNode;
import dev.qtune.compiler.ir.ConstantNode;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.DropoutNode;
import dev.qtune.compiler.ir.FlattenNode;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.IdentityNode;
import dev.qtune.compiler.ir.MatMulNode;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.ReshapeNode;
import dev.qtune.compiler.ir.SoftmaxNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/** The annotate rule table: one entry per op; an op without one is an error that names it. */
public final class AnnotateRules {
    private static final Map<Class<? extends Node>, BiFunction<Graph, Node, AnnotateRule>> RULES = Map.ofEntries(
            Map.entry(
                    Conv2dNode.class,
                    (g, n) -> g.isInitializer(((Conv2dNode) n).weight())
                                    && ((Conv2dNode) n)
                                            .bias()
                                            .map(g::isInitializer)
                                            .orElse(true)
                            ? AnnotateRule.COMPUTE
                            : AnnotateRule.FP32),
            Map.entry(GemmNode.class, (g, n) -> gemmRule(g, (GemmNode) n)),
            Map.entry(
                    MatMulNode.class,
                    (g, n) -> g.isInitializer(((MatMulNode) n).b())
                                    && g.type(((MatMulNode) n).a()).shape().rank() == 2
                            ? AnnotateRule.COMPUTE
                            : AnnotateRule.FP32),
            Map.entry(
                    BinaryNode.class,
                    (g, n) -> ((BinaryNode) n).op() == BinaryOp.ADD
                                    && !g.isInitializer(n.inputs().get(0))
                                    && !g.isInitializer(n.inputs().get(1))
                                    && g.type(n.inputs().get(0))
                                            .shape()
                                            .equals(g.type(n.inputs().get(1)).shape())
                            ? AnnotateRule.MERGE
                            : AnnotateRule.FP32),
            Map.entry(ConcatNode.class, (g, n) -> AnnotateRule.MERGE),
            Map.entry(ReluNode.class, (g, n) -> AnnotateRule.PASS_THROUGH),
            Map.entry(MaxPool2dNode.class, (g, n) -> AnnotateRule.PASS_THROUGH),
            Map.entry(FlattenNode.class, (g, n) -> AnnotateRule.PASS_THROUGH),
            Map.entry(ReshapeNode.class, (g, n) -> AnnotateRule.PASS_THROUGH),
            Map.entry(IdentityNode.class, (g, n) -> AnnotateRule.PASS_THROUGH),
            Map.entry(DropoutNode.class, (g, n) -> AnnotateRule.FP32),
            Map.entry(AvgPool2dNode.class, (g, n) -> AnnotateRule.INHERIT),
            Map.entry(GlobalAvgPoolNode.class, (g, n) -> AnnotateRule.INHERIT),
            Map.entry(ClipNode.class, (g, n) -> AnnotateRule.FP32),
            Map.entry(BatchNormNode.class, (g, n) -> AnnotateRule.FP32),
            Map.entry(SoftmaxNode.class, (g, n) -> AnnotateRule.FP32),
            Map.entry(ConstantNode.class, (g, n) -> AnnotateRule.FP32));

    private AnnotateRules() {}

    public static AnnotateRule of(Graph g, Node n) {
        var rule = RULES.get(n.getClass());
        if (rule == null) {
            throw new QtuneException(n.opType() + " node '" + n.name() + "' has no quantize-annotate rule "
                    + "(declare it in AnnotateRules, as FP32 if it cannot be quantized)");
        }
        return rule.apply(g, n);
    }

    /** Gemm is quantizable as a dense layer: constant B (and C), no transposed A, alpha = beta = 1. */
    private static AnnotateRule gemmRule(Graph g, GemmNode n) {
        boolean dense = g.isInitializer(n.b())
                && n.c().map(g::isInitializer).orElse(true)
                && !n.transA()
                && n.alpha() == 1f
                && (n.c().isEmpty() || n.beta() == 1f)
                && n.c().map(c -> g.initializers().get(c).numel()
                                == (n.transB()
                                        ? g.type(n.b()).shape().dim(0)
                                        : g.type(n.b()).shape().dim(1)))
                        .orElse(true);
        return dense ? AnnotateRule.COMPUTE : AnnotateRule.FP32;
    }

    /** The ops that have a rule. */
    static Set<Class<? extends Node>> ops() {
        return RULES.keySet();
    }

    /** The names of the layers a config can address: the nodes with the COMPUTE rule. */
    public static List<String> quantizableLayers(Graph g) {
        return g.nodes().stream()
                .filter(n -> of(g, n) == AnnotateRule.COMPUTE)
                .map(Node::name)
                .toList();
    }
}

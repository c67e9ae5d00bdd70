package dev.qtune.compiler.quant;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.BinaryNode;
import dev.qtune.compiler.ir.ConcatNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QuantRole;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.pass.InferTypesPass;
import dev.qtune.compiler.pass.Pass;
import java.util.Set;

/**
 * Turns a calibrated annotated graph into the integer graph of docs/integer-semantics.md:
 * quantized Conv/Gemm/MatMul become QConv/QDense (int32 accumulation, bias at scale
 * s_in * s_w, fixed-point requantization, fused Relu as a clamp), Add and Concat of integer values
 * become QAdd/QConcat, pools and reshapes run on integers, and Quantize/Dequantize mark every
 * boundary with fp32 ops. Nothing is recalibrated: all scales come from the SimQuantize nodes.
 */
public final class QuantizeRealizePass implements Pass {
    @Override
    public Set<String> requires() {
        return Set.of("QuantizeCalibrate");
    }

    @Override
    public Graph run(Graph g) {
        return InferTypesPass.infer(new Realizer(g).run());
    }

    /** The rule for one annotated node. */
    static RealizeRule rule(Graph annotated, Node n) {
        if (n instanceof SimQuantizeNode q) {
            return q.spec().role() == QuantRole.WEIGHT || q.spec().role() == QuantRole.BIAS
                    ? RealizeRule.WEIGHT : RealizeRule.QUANTIZE_POINT;
        }
        if (n.inputs().size() > 1 && annotated.producer(n.inputs().get(1))
                .filter(p -> p instanceof SimQuantizeNode w && w.spec().role() == QuantRole.WEIGHT).isPresent()) {
            return RealizeRule.COMPUTE;
        }
        AnnotateRule a = AnnotateRules.of(annotated, n);
        if (a == AnnotateRule.MERGE && !(n instanceof BinaryNode) && !(n instanceof ConcatNode)) {
            throw new QtuneException(n.opType() + " node '" + n.name() + "' has no realize rule");
        }
        return switch (a) {
            case COMPUTE -> RealizeRule.FP32; // a layer the config skipped: its weights were not quantized
            case MERGE -> RealizeRule.MERGE;
            case PASS_THROUGH, INHERIT -> RealizeRule.INTEGER_IF_INPUT_IS;
            case FP32 -> RealizeRule.FP32;
        };
    }

    /** What realize does with each annotated node (WEIGHT: a weight or bias point, consumed by its layer). */
    enum RealizeRule { QUANTIZE_POINT, WEIGHT, COMPUTE, MERGE, INTEGER_IF_INPUT_IS, FP32 }
}

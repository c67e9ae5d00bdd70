package dev.qtune.compiler.interp;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.AvgPool2dNode;
import dev.qtune.compiler.ir.DequantizeNode;
import dev.qtune.compiler.ir.FlattenNode;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.IdentityNode;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QAddNode;
import dev.qtune.compiler.ir.QConcatNode;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.ir.QuantizeNode;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.ReshapeNode;
import java.util.Map;
import java.util.Set;

/**
 * The integer kernel table. Quantized ops always run here; ops that also exist in fp32 (pools,
 * Relu, Flatten, Reshape, Identity) run here when their input is an integer tensor and in fp32
 * otherwise (fp32 islands of a partly quantized graph).
 */
public final class IntegerKernels {
    private static final Map<Class<? extends Node>, Kernel> KERNELS = Map.ofEntries(
            Map.entry(QuantizeNode.class, QuantKernels::quantize),
            Map.entry(DequantizeNode.class, QuantKernels::dequantize),
            Map.entry(QConv2dNode.class, new IntConvKernel()),
            Map.entry(QDenseNode.class, new IntDenseKernel()),
            Map.entry(QAddNode.class, IntElementwiseKernels::qadd),
            Map.entry(QConcatNode.class, IntElementwiseKernels::qconcat),
            Map.entry(ReluNode.class, IntElementwiseKernels::relu),
            Map.entry(MaxPool2dNode.class, IntPoolKernels::maxPool),
            Map.entry(AvgPool2dNode.class, IntPoolKernels::avgPool),
            Map.entry(GlobalAvgPoolNode.class, IntPoolKernels::globalAvgPool),
            Map.entry(FlattenNode.class, LayoutKernels::flatten),
            Map.entry(ReshapeNode.class, LayoutKernels::reshape),
            Map.entry(IdentityNode.class, LayoutKernels::identity));

    private static final Set<Class<? extends Node>> ALWAYS_INTEGER = Set.of(
            QuantizeNode.class,
            DequantizeNode.class,
            QConv2dNode.class,
            QDenseNode.class,
            QAddNode.class,
            QConcatNode.class);

    private IntegerKernels() {}

    /** The kernel for a node of a typed graph: integer if its input is an integer tensor. */
    public static Kernel kernel(Graph g, Node n) {
        boolean integer = ALWAYS_INTEGER.contains(n.getClass())
                || (!n.inputs().isEmpty() && g.type(n.inputs().get(0)).dtype().isInteger());
        if (!integer) {
            return Fp32Kernels.kernel(n);
        }
        Kernel k = KERNELS.get(n.getClass());
        if (k == null) {
            throw new QtuneException(
                    n.opType() + " node '" + n.name() + "' has an integer input but no integer kernel");
        }
        return k;
    }
}

package dev.qtune.compiler.interp;

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

/** The fp32 kernel table: one kernel per node class. */
public final class Fp32Kernels {
    private static final Map<Class<? extends Node>, Kernel> KERNELS = Map.ofEntries(
            Map.entry(Conv2dNode.class, new ConvKernel()),
            Map.entry(GemmNode.class, DenseKernels::gemm),
            Map.entry(MatMulNode.class, DenseKernels::matmul),
            Map.entry(BinaryNode.class, ElementwiseKernels::binary),
            Map.entry(ReluNode.class, ElementwiseKernels::relu),
            Map.entry(ClipNode.class, ElementwiseKernels::clip),
            Map.entry(BatchNormNode.class, ElementwiseKernels::batchNorm),
            Map.entry(MaxPool2dNode.class, PoolKernels::maxPool),
            Map.entry(AvgPool2dNode.class, PoolKernels::avgPool),
            Map.entry(GlobalAvgPoolNode.class, PoolKernels::globalAvgPool),
            Map.entry(FlattenNode.class, LayoutKernels::flatten),
            Map.entry(ReshapeNode.class, LayoutKernels::reshape),
            Map.entry(ConcatNode.class, LayoutKernels::concat),
            Map.entry(SoftmaxNode.class, LayoutKernels::softmax),
            Map.entry(IdentityNode.class, LayoutKernels::identity),
            Map.entry(DropoutNode.class, LayoutKernels::identity),
            Map.entry(ConstantNode.class, LayoutKernels::constant),
            Map.entry(SimQuantizeNode.class, QuantKernels::simQuantize));

    private Fp32Kernels() {}

    public static Kernel kernel(Node n) {
        Kernel k = KERNELS.get(n.getClass());
        if (k == null) {
            throw new QtuneException(n.opType() + " node '" + n.name() + "' has no fp32 kernel");
        }
        return k;
    }
}

package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Tensor;

/** Computes the outputs of one node type from its input values (absent optional = null). */
@FunctionalInterface
public interface Kernel {
    Tensor[] apply(Node node, Tensor[] inputs, KernelContext ctx);
}

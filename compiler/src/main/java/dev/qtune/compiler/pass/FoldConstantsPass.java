package dev.qtune.compiler.pass;

import dev.qtune.compiler.interp.Fp32Kernels;
import dev.qtune.compiler.interp.KernelContext;
import dev.qtune.compiler.ir.ConstantNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates every node whose inputs are all constants (Constant nodes, Identity of an initializer,
 * arithmetic on weights) and replaces it by an initializer holding its result.
 */
public final class FoldConstantsPass implements Pass {
    @Override
    public Set<String> requires() {
        return Set.of("InferTypes");
    }

    @Override
    public Graph run(Graph g) {
        Map<String, Tensor> constants = new LinkedHashMap<>(g.initializers());
        List<Node> kept = new ArrayList<>();
        KernelContext ctx = new KernelContext(g);
        for (Node n : g.nodes()) {
            if (!foldable(n, constants)) {
                kept.add(n);
                continue;
            }
            Tensor[] args = new Tensor[n.inputs().size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = n.inputs().get(i).isEmpty()
                        ? null
                        : constants.get(n.inputs().get(i));
            }
            Tensor[] out = n instanceof ConstantNode c
                    ? new Tensor[] {c.value()}
                    : Fp32Kernels.kernel(n).apply(n, args, ctx);
            constants.put(n.outputs().get(0), out[0]);
        }
        return InferTypesPass.infer(g.withInitializers(constants).withNodes(kept));
    }

    private static boolean foldable(Node n, Map<String, Tensor> constants) {
        if (n.outputs().size() != 1) {
            return false;
        }
        for (String in : n.inputs()) {
            if (!in.isEmpty() && !constants.containsKey(in)) {
                return false;
            }
        }
        if (n instanceof ConstantNode) {
            return true;
        }
        // fp32 kernels compute on floats; shape arithmetic on i64 constants stays as it is.
        for (String in : n.inputs()) {
            if (!in.isEmpty() && constants.get(in).dtype() != DType.F32) {
                return false;
            }
        }
        return true;
    }
}

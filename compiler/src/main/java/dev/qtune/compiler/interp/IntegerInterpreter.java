package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Tensor;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The integer reference interpreter: runs a realized graph bit-exactly as docs/integer-semantics.md
 * defines (integer kernels for integer values, fp32 kernels for fp32 islands). The graph must be
 * typed (InferTypes). Thread-safe like {@link Fp32Interpreter}.
 */
public final class IntegerInterpreter implements Interpreter {
    private final GraphExecutor executor;

    public IntegerInterpreter(Graph graph) {
        this.executor = new GraphExecutor(graph, n -> IntegerKernels.kernel(graph, n));
    }

    @Override
    public Graph graph() {
        return executor.graph();
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> feeds, BiConsumer<String, Tensor> observer) {
        return executor.run(feeds, observer);
    }
}

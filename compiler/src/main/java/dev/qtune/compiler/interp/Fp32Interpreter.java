package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Tensor;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The fp32 reference interpreter: runs a graph on a batch with the fp32 kernels (SimQuantize
 * included, so an annotated and calibrated graph runs as simulated quantization). One instance may
 * be used by several threads at once, which is how callers use both cores: one batch per thread.
 */
public final class Fp32Interpreter implements Interpreter {
    private final GraphExecutor executor;

    public Fp32Interpreter(Graph graph) {
        this.executor = new GraphExecutor(graph, Fp32Kernels::kernel);
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

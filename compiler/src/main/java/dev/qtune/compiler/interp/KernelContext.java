package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.Graph;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Per-interpreter state shared by kernels: the graph (to tell constants from computed values) and
 * constant operands re-laid-out once (e.g. a transposed Gemm weight), keyed by node and operand.
 * Thread-safe: several threads may run the same interpreter.
 */
public final class KernelContext {
    private final Graph graph;
    private final Map<String, Object> prepared = new ConcurrentHashMap<>();

    public KernelContext(Graph graph) {
        this.graph = graph;
    }

    public boolean isConstant(String value) {
        return graph.isInitializer(value);
    }

    /**
     * The prepared form of a value: computed once when {@code value} is a graph constant, and
     * recomputed on every call otherwise.
     */
    @SuppressWarnings("unchecked")
    public <T> T prepared(String nodeName, String value, Supplier<T> make) {
        if (!isConstant(value)) {
            return make.get();
        }
        return (T) prepared.computeIfAbsent(nodeName + "\u0000" + value, k -> make.get());
    }
}

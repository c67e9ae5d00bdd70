package dev.qtune.compiler.pass;

import dev.qtune.compiler.ir.Graph;
import java.util.Set;

/**
 * A graph-to-graph transformation. Passes are stateless; each declares the passes that must have
 * run before it ({@link #requires()}), and {@link PassPipeline} refuses to run it otherwise.
 */
public interface Pass {
    /** The pass name, e.g. "FoldBatchNorm" (the class name without the "Pass" suffix). */
    default String name() {
        String simple = getClass().getSimpleName();
        return simple.endsWith("Pass") ? simple.substring(0, simple.length() - 4) : simple;
    }

    /**
     * Names of the passes this one needs to have run first, iterating in the order they run (use an
     * ordered set when there are several), so that the error names the earliest missing one.
     */
    Set<String> requires();

    /** Returns the transformed graph; never modifies its argument. */
    Graph run(Graph graph);
}

package dev.qtune.compiler.ir;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the structural invariants every pass relies on: unique node names, each value defined
 * exactly once (graph input, initializer or node output), nodes in topological order, every read
 * value defined, every graph output defined.
 */
public final class GraphVerifier {
    private GraphVerifier() {}

    /** Throws {@link IllegalStateException} naming the first violation. */
    public static Graph verify(Graph g) {
        Set<String> defined = new HashSet<>();
        for (ValueInfo in : g.inputs()) {
            define(g, defined, in.name(), "graph input");
        }
        for (String init : g.initializers().keySet()) {
            if (!defined.contains(init)) {
                define(g, defined, init, "initializer");
            }
        }
        Set<String> nodeNames = new HashSet<>();
        for (Node n : g.nodes()) {
            if (!nodeNames.add(n.name())) {
                throw fail(g, "two nodes are named '" + n.name() + "'");
            }
            List<String> ins = n.inputs();
            for (String in : ins) {
                if (!in.isEmpty() && !defined.contains(in)) {
                    throw fail(
                            g,
                            n.opType() + " node '" + n.name() + "' reads '" + in
                                    + "', which no graph input, initializer or earlier node defines");
                }
            }
            for (String out : n.outputs()) {
                if (!out.isEmpty()) {
                    define(g, defined, out, n.opType() + " node '" + n.name() + "'");
                }
            }
        }
        for (ValueInfo out : g.outputs()) {
            if (!defined.contains(out.name())) {
                throw fail(g, "graph output '" + out.name() + "' is not defined by any node, input or initializer");
            }
        }
        return g;
    }

    private static void define(Graph g, Set<String> defined, String value, String by) {
        if (!defined.add(value)) {
            throw fail(g, "value '" + value + "' is defined twice (again by " + by + ")");
        }
    }

    private static IllegalStateException fail(Graph g, String what) {
        return new IllegalStateException("invalid graph '" + g.name() + "': " + what);
    }
}

package dev.qtune.compiler.pass;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.TensorType;
import dev.qtune.compiler.ir.ValueInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Infers the type of every value from the graph inputs and constants with {@link TypeRules}. */
public final class InferTypesPass implements Pass {
    @Override
    public Set<String> requires() {
        return Set.of();
    }

    @Override
    public Graph run(Graph g) {
        return infer(g);
    }

    /** The graph with fresh types for every value; passes that add values call this again. */
    public static Graph infer(Graph g) {
        Map<String, TensorType> types = new LinkedHashMap<>();
        for (ValueInfo in : g.inputs()) {
            types.put(in.name(), in.type());
        }
        g.initializers().forEach((name, t) -> types.put(name, t.type()));
        for (Node n : g.nodes()) {
            List<TensorType> in = new ArrayList<>();
            for (String v : n.inputs()) {
                if (!v.isEmpty() && types.get(v) == null) {
                    throw new QtuneException(
                            n.opType() + " node '" + n.name() + "' reads '" + v + "', whose type is "
                                    + "unknown (only the first output of a multi-output node, e.g. not Dropout's mask, is typed)");
                }
                in.add(v.isEmpty() ? null : types.get(v));
            }
            TensorType out = TypeRules.rule(n).infer(n, in, g);
            types.put(n.outputs().get(0), out);
        }
        List<ValueInfo> outputs = new ArrayList<>();
        for (ValueInfo o : g.outputs()) {
            // A secondary output (Dropout's mask) has no inferred type: it keeps its declared one.
            TensorType t = types.get(o.name());
            outputs.add(t != null ? new ValueInfo(o.name(), t) : o);
        }
        return g.withTypes(types).withOutputs(outputs);
    }
}

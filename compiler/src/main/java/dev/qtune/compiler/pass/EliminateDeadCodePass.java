package dev.qtune.compiler.pass;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Removes nodes that no graph output depends on, and initializers nothing reads. */
public final class EliminateDeadCodePass implements Pass {
    @Override
    public Set<String> requires() {
        return Set.of();
    }

    @Override
    public Graph run(Graph g) {
        Set<String> live = new HashSet<>(g.outputNames());
        List<Node> kept = new ArrayList<>();
        List<Node> nodes = g.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.outputs().stream().anyMatch(live::contains)) {
                kept.add(n);
                n.inputs().stream().filter(s -> !s.isEmpty()).forEach(live::add);
            }
        }
        Collections.reverse(kept);
        Map<String, Tensor> inits = new LinkedHashMap<>();
        g.initializers().forEach((name, t) -> {
            if (live.contains(name)) {
                inits.put(name, t);
            }
        });
        Map<String, TensorType> types = new LinkedHashMap<>();
        g.types().forEach((name, t) -> {
            if (live.contains(name)
                    || g.inputs().stream().anyMatch(v -> v.name().equals(name))) {
                types.put(name, t);
            }
        });
        return g.withNodes(kept).withInitializers(inits).withTypes(types);
    }
}

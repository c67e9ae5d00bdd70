package dev.qtune.compiler.pass;

import dev.qtune.compiler.ir.DropoutNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.IdentityNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.NodeOutputs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes ops that do nothing at inference: Identity, and Dropout whose mask is unused. Readers
 * of the removed node's output read its input instead; where that output is a graph output, the
 * node that produces the input is renamed to write it directly, and other readers of the input
 * read it under the new name. An Identity from a graph input or constant to a graph output stays.
 */
public final class SimplifyInferencePass implements Pass {
    @Override
    public Set<String> requires() {
        return Set.of("InferTypes");
    }

    @Override
    public Graph run(Graph g) {
        Map<String, String> replace = new HashMap<>();
        List<Node> nodes = new ArrayList<>(g.nodes());
        for (Node n : g.nodes()) {
            if (!removable(n, g)) {
                continue;
            }
            String in = resolve(replace, n.inputs().get(0));
            String out = n.outputs().get(0);
            if (!g.outputNames().contains(out)) {
                replace.put(out, in);
                nodes.remove(n);
            } else if (!g.outputNames().contains(in)) {
                // The producer of the input writes the graph output itself; other readers of the
                // input read the graph output instead. A graph input or constant has no producer.
                int at = producerIndex(nodes, in);
                if (at >= 0 && nodes.get(at).outputs().size() == 1 && !(nodes.get(at) instanceof DropoutNode)) {
                    nodes.set(at, NodeOutputs.withOutput(nodes.get(at), out));
                    replace.put(in, out);
                    nodes.remove(n);
                }
            }
        }
        List<Node> rewired = new ArrayList<>();
        for (Node n : nodes) {
            List<String> ins = new ArrayList<>();
            for (String i : n.inputs()) {
                ins.add(resolve(replace, i));
            }
            rewired.add(ins.equals(n.inputs()) ? n : n.withInputs(ins));
        }
        return InferTypesPass.infer(g.withNodes(rewired));
    }

    private static boolean removable(Node n, Graph g) {
        if (n instanceof IdentityNode) {
            return true;
        }
        return n instanceof DropoutNode d
                && (d.outputs().size() == 1
                        || d.outputs().get(1).isEmpty()
                        || g.useCount(d.outputs().get(1)) == 0);
    }

    private static int producerIndex(List<Node> nodes, String value) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).outputs().contains(value)) {
                return i;
            }
        }
        return -1;
    }

    private static String resolve(Map<String, String> replace, String v) {
        String r = v;
        while (replace.containsKey(r)) {
            r = replace.get(r);
        }
        return r;
    }
}

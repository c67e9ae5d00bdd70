package dev.qtune.compiler.interp;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.ValueInfo;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Runs a graph node by node in graph order with one kernel per node (chosen once, up front),
 * freeing each intermediate value after its last reader. Stateless between runs: each run has its
 * own value table, so one executor serves several threads.
 */
final class GraphExecutor {
    private final Graph graph;
    private final KernelContext context;
    private final Kernel[] kernels;
    private final Map<String, Integer> lastUse = new HashMap<>();

    GraphExecutor(Graph graph, Function<Node, Kernel> kernelFor) {
        this.graph = graph;
        this.context = new KernelContext(graph);
        List<Node> nodes = graph.nodes();
        this.kernels = new Kernel[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            kernels[i] = kernelFor.apply(nodes.get(i));
            for (String in : nodes.get(i).inputs()) {
                lastUse.put(in, i);
            }
        }
    }

    Graph graph() {
        return graph;
    }

    Map<String, Tensor> run(Map<String, Tensor> feeds, BiConsumer<String, Tensor> observer) {
        Map<String, Tensor> values = new HashMap<>(graph.initializers());
        for (ValueInfo in : graph.inputs()) {
            Tensor t = feeds.get(in.name());
            if (t == null) {
                throw new QtuneException("graph input '" + in.name() + "' was not fed");
            }
            values.put(in.name(), t);
            observer.accept(in.name(), t);
        }
        List<String> outputs = graph.outputNames();
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            List<String> ins = n.inputs();
            Tensor[] args = new Tensor[ins.size()];
            for (int j = 0; j < args.length; j++) {
                args[j] = ins.get(j).isEmpty() ? null : values.get(ins.get(j));
            }
            Tensor[] results = kernels[i].apply(n, args, context);
            for (int j = 0; j < results.length && j < n.outputs().size(); j++) {
                if (!n.outputs().get(j).isEmpty() && results[j] != null) {
                    values.put(n.outputs().get(j), results[j]);
                    observer.accept(n.outputs().get(j), results[j]);
                }
            }
            for (String in : ins) {
                if (lastUse.getOrDefault(in, -1) == i && !outputs.contains(in) && !graph.isInitializer(in)) {
                    values.remove(in);
                }
            }
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (String out : outputs) {
            result.put(out, values.get(out));
        }
        return result;
    }
}

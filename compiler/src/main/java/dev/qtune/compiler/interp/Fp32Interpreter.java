package dev.qtune.compiler.interp;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.ValueInfo;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fp32 reference interpreter: runs a graph on a batch, node by node in graph order, freeing
 * each intermediate value after its last reader. One instance may be used by several threads at
 * once (each call has its own value table), which is how callers use both cores: one batch per
 * thread.
 */
public final class Fp32Interpreter {
    private final Graph graph;
    private final KernelContext context;
    private final Fp32Kernel[] kernels;
    private final Map<String, Integer> lastUse = new HashMap<>();

    public Fp32Interpreter(Graph graph) {
        this.graph = graph;
        this.context = new KernelContext(graph);
        List<Node> nodes = graph.nodes();
        this.kernels = new Fp32Kernel[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            kernels[i] = Fp32Kernels.kernel(nodes.get(i));
            for (String in : nodes.get(i).inputs()) {
                lastUse.put(in, i);
            }
        }
    }

    public Graph graph() {
        return graph;
    }

    /** Runs the graph on named inputs; returns the graph outputs by name. */
    public Map<String, Tensor> run(Map<String, Tensor> feeds) {
        Map<String, Tensor> values = new HashMap<>(graph.initializers());
        for (ValueInfo in : graph.inputs()) {
            Tensor t = feeds.get(in.name());
            if (t == null) {
                throw new QtuneException("graph input '" + in.name() + "' was not fed");
            }
            values.put(in.name(), t);
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

    /**
     * Runs a single-input, single-output graph on {@code batch} f32 samples laid out as the input's
     * shape with the batch axis bound; returns the output data.
     */
    public Tensor run(float[] input, int batch) {
        if (graph.inputs().size() != 1 || graph.outputs().size() != 1) {
            throw new QtuneException("graph '" + graph.name() + "' must have one input and one output for batch runs, but has "
                    + graph.inputs().size() + " inputs and " + graph.outputs().size() + " outputs");
        }
        ValueInfo in = graph.inputs().get(0);
        if (in.type().dtype() != DType.F32) {
            throw new QtuneException("graph input '" + in.name() + "' must be f32, but is " + in.type());
        }
        Shape shape = in.type().shape().withDim(0, batch).bind(batch);
        if (shape.numel() != input.length) {
            throw new QtuneException("input data for '" + in.name() + "' must have " + shape.numel() + " values ("
                    + shape + "), but has " + input.length);
        }
        return run(Map.of(in.name(), Tensor.ofFloats(shape, input))).values().iterator().next();
    }
}

package dev.qtune.compiler.analysis;

import dev.qtune.compiler.ir.BatchNormNode;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.MatMulNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.SimQuantizeNode;
import java.util.ArrayList;
import java.util.List;

/**
 * MACs and parameters of a typed graph, per node and in total, for one image (a dynamic batch
 * axis counts as 1). MACs count Conv, Gemm and MatMul multiply-adds; parameters count the
 * constant weights and biases of Conv, Gemm and MatMul and the scale and bias of
 * BatchNormalization (its running statistics are buffers, not parameters), as PyTorch does; a
 * constant read through a quantization point (a simulated graph's weights) counts too.
 */
public record ModelSummary(List<LayerStats> layers, long macs, long params) {
    public ModelSummary {
        layers = List.copyOf(layers);
    }

    /** Summarises a graph that InferTypes has typed. */
    public static ModelSummary of(Graph g) {
        List<LayerStats> layers = new ArrayList<>();
        long macs = 0;
        long params = 0;
        for (Node n : g.nodes()) {
            Shape out = g.type(n.outputs().get(0)).shape().bind(1);
            long m = macs(g, n, out);
            long p = params(g, n);
            layers.add(new LayerStats(n.name(), n.opType(), out, m, p));
            macs += m;
            params += p;
        }
        return new ModelSummary(layers, macs, params);
    }

    private static long macs(Graph g, Node n, Shape out) {
        if (n instanceof Conv2dNode c) {
            Shape w = g.type(c.weight()).shape();
            return (long) out.numel() * w.dim(1) * w.dim(2) * w.dim(3);
        } else if (n instanceof GemmNode gemm) {
            Shape a = g.type(gemm.a()).shape().bind(1);
            long k = gemm.transA() ? a.dim(0) : a.dim(1);
            return out.numel() * k;
        } else if (n instanceof MatMulNode mm) {
            Shape a = g.type(mm.a()).shape().bind(1);
            return out.numel() * (long) a.dim(a.rank() - 1);
        }
        return 0;
    }

    private static long params(Graph g, Node n) {
        List<String> counted = new ArrayList<>();
        if (n instanceof Conv2dNode || n instanceof GemmNode || n instanceof MatMulNode) {
            counted.addAll(n.inputs().subList(1, n.inputs().size()));
        } else if (n instanceof BatchNormNode bn) {
            counted.add(bn.scale());
            counted.add(bn.bias());
        }
        long p = 0;
        for (String v : counted) {
            String constant = g.producer(v)
                    .filter(q -> q instanceof SimQuantizeNode)
                    .map(q -> q.inputs().get(0))
                    .orElse(v);
            if (g.isInitializer(constant)) {
                p += g.initializers().get(constant).numel();
            }
        }
        return p;
    }
}

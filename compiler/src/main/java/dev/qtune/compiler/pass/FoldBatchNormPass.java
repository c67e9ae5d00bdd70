package dev.qtune.compiler.pass;

import dev.qtune.compiler.ir.BatchNormNode;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Folds an inference BatchNormalization into the Conv or Gemm that feeds it, when that node's
 * weights are constants and the BN is its only reader: per output channel o, with
 * s = gamma / sqrt(var + eps), W'[o] = W[o] * s and b'[o] = (b[o] - mean) * s + beta (in double).
 * The folded node takes over the BN's output name; other BatchNormalization nodes stay.
 */
public final class FoldBatchNormPass implements Pass {
    /** In the order they run, so that PassPipeline names the earliest missing one (Set.of has no order). */
    private static final Set<String> REQUIRES =
            Collections.unmodifiableSet(new LinkedHashSet<>(List.of("InferTypes", "FoldConstants")));

    @Override
    public Set<String> requires() {
        return REQUIRES;
    }

    @Override
    public Graph run(Graph g) {
        Map<String, Tensor> inits = new LinkedHashMap<>(g.initializers());
        Map<String, Node> replaced = new LinkedHashMap<>();
        Set<String> removedBn = new HashSet<>();
        for (Node n : g.nodes()) {
            if (!(n instanceof BatchNormNode bn) || !constants(g, bn)) {
                continue;
            }
            Optional<Node> producer = g.producer(bn.input());
            if (producer.isEmpty() || g.useCount(bn.input()) != 1) {
                continue;
            }
            Node p = producer.get();
            Node folded = null;
            if (p instanceof Conv2dNode conv
                    && g.isInitializer(conv.weight())
                    && conv.bias().map(g::isInitializer).orElse(true)) {
                folded = foldConv(g, conv, bn, inits);
            } else if (p instanceof GemmNode gemm
                    && g.isInitializer(gemm.b())
                    && !gemm.transA()
                    && gemm.c().map(g::isInitializer).orElse(true)
                    && gemm.alpha() == 1f
                    && gemm.beta() == 1f) {
                folded = foldGemm(g, gemm, bn, inits);
            }
            if (folded != null) {
                replaced.put(p.name(), folded);
                removedBn.add(bn.name());
            }
        }
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (!removedBn.contains(n.name())) {
                nodes.add(replaced.getOrDefault(n.name(), n));
            }
        }
        return InferTypesPass.infer(g.withInitializers(inits).withNodes(nodes));
    }

    private static boolean constants(Graph g, BatchNormNode bn) {
        return g.isInitializer(bn.scale())
                && g.isInitializer(bn.bias())
                && g.isInitializer(bn.mean())
                && g.isInitializer(bn.variance());
    }

    private static double[][] scaleShift(Graph g, BatchNormNode bn, int channels) {
        Tensor gamma = g.initializers().get(bn.scale());
        Tensor beta = g.initializers().get(bn.bias());
        Tensor mean = g.initializers().get(bn.mean());
        Tensor var = g.initializers().get(bn.variance());
        double[] s = new double[channels];
        double[] shift = new double[channels];
        for (int c = 0; c < channels; c++) {
            s[c] = gamma.getFloat(c) / Math.sqrt((double) var.getFloat(c) + bn.epsilon());
            shift[c] = beta.getFloat(c) - mean.getFloat(c) * s[c];
        }
        return new double[][] {s, shift};
    }

    private static Node foldConv(Graph g, Conv2dNode conv, BatchNormNode bn, Map<String, Tensor> inits) {
        Tensor w = g.initializers().get(conv.weight());
        int outC = w.shape().dim(0);
        int per = w.numel() / outC;
        double[][] ss = scaleShift(g, bn, outC);
        float[] nw = new float[w.numel()];
        float[] wf = w.floats();
        for (int o = 0; o < outC; o++) {
            for (int i = 0; i < per; i++) {
                nw[o * per + i] = (float) (wf[o * per + i] * ss[0][o]);
            }
        }
        float[] nb = foldedBias(conv.bias().map(b -> g.initializers().get(b)), ss, outC);
        String wName = fresh(inits, conv.name() + ".bn_weight");
        inits.put(wName, Tensor.ofFloats(w.shape(), nw));
        String bName = fresh(inits, conv.name() + ".bn_bias");
        inits.put(bName, Tensor.ofFloats(Shape.of(outC), nb));
        return new Conv2dNode(
                conv.name(), List.of(conv.input(), wName, bName), bn.output(), conv.window(), conv.group());
    }

    private static Node foldGemm(Graph g, GemmNode gemm, BatchNormNode bn, Map<String, Tensor> inits) {
        Tensor w = g.initializers().get(gemm.b());
        int n = gemm.transB() ? w.shape().dim(0) : w.shape().dim(1);
        int k = gemm.transB() ? w.shape().dim(1) : w.shape().dim(0);
        double[][] ss = scaleShift(g, bn, n);
        float[] wf = w.floats();
        float[] nw = new float[wf.length];
        for (int i = 0; i < wf.length; i++) {
            int col = gemm.transB() ? i / k : i % n;
            nw[i] = (float) (wf[i] * ss[0][col]);
        }
        Optional<Tensor> c = gemm.c().map(b -> g.initializers().get(b));
        if (c.isPresent() && c.get().numel() != n && c.get().numel() != 1) {
            return null;
        }
        float[] nb = foldedBias(c, ss, n);
        String wName = fresh(inits, gemm.name() + ".bn_weight");
        inits.put(wName, Tensor.ofFloats(w.shape(), nw));
        String bName = fresh(inits, gemm.name() + ".bn_bias");
        inits.put(bName, Tensor.ofFloats(Shape.of(n), nb));
        return new GemmNode(gemm.name(), List.of(gemm.a(), wName, bName), bn.output(), 1f, 1f, false, gemm.transB());
    }

    private static float[] foldedBias(Optional<Tensor> bias, double[][] ss, int channels) {
        float[] nb = new float[channels];
        for (int o = 0; o < channels; o++) {
            double b = 0;
            if (bias.isPresent()) {
                b = bias.get().getFloat(bias.get().numel() == 1 ? 0 : o);
            }
            nb[o] = (float) (b * ss[0][o] + ss[1][o]);
        }
        return nb;
    }

    private static String fresh(Map<String, Tensor> inits, String base) {
        String name = base;
        for (int i = 2; inits.containsKey(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }
}

package dev.qtune.compiler.zoo;

import dev.qtune.compiler.ir.BatchNormNode;
import dev.qtune.compiler.ir.BinaryNode;
import dev.qtune.compiler.ir.BinaryOp;
import dev.qtune.compiler.ir.ClipNode;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.FlattenNode;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.TensorType;
import dev.qtune.compiler.ir.ValueInfo;
import dev.qtune.compiler.ir.Window2d;
import dev.qtune.compiler.pass.InferTypesPass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds an fp32 NCHW classifier graph layer by layer with seeded constants, named as PyTorch
 * exports torchvision models: node {@code /layer1.0/conv1/Conv}, its output
 * {@code /layer1.0/conv1/Conv_output_0}, its weight {@code layer1.0.conv1.weight}. BatchNorm gets
 * non-trivial statistics so that FoldBatchNorm has work to do.
 */
final class ZooGraphBuilder {
    static final String INPUT = "input";
    static final String OUTPUT = "logits";

    private final String name;
    private final SeededWeights weights;
    private final ValueInfo input;
    private final Map<String, Tensor> inits = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();

    ZooGraphBuilder(String name, long seed, int channels, int height, int width) {
        this.name = name;
        this.weights = new SeededWeights(seed);
        this.input = new ValueInfo(INPUT, new TensorType(DType.F32, Shape.of(Shape.DYNAMIC, channels, height, width)));
    }

    /** A bias-free k x k convolution (He-normal weights over its fan-in), as torchvision's convs before BN. */
    String conv(String module, String x, int inC, int outC, int k, int stride, int pad, int group) {
        String w = init(module + ".weight", weights.heNormal(Shape.of(outC, inC / group, k, k), inC / group * k * k));
        var window = new Window2d(k, k, stride, stride, pad, pad, pad, pad, 1, 1);
        return add(new Conv2dNode(nodeName(module, "Conv"), List.of(x, w), out(module, "Conv"), window, group));
    }

    /** Inference BatchNorm: gamma in [0.5, 1.5), beta and mean from N(0, 0.1^2), variance in [0.5, 1.5). */
    String batchNorm(String module, String x, int channels) {
        Shape s = Shape.of(channels);
        String gamma = init(module + ".weight", weights.uniform(s, 0.5, 1.5));
        String beta = init(module + ".bias", weights.normal(s, 0.1, 0));
        String mean = init(module + ".running_mean", weights.normal(s, 0.1, 0));
        String var = init(module + ".running_var", weights.uniform(s, 0.5, 1.5));
        return add(new BatchNormNode(
                nodeName(module, "BatchNormalization"),
                List.of(x, gamma, beta, mean, var),
                out(module, "BatchNormalization"),
                1e-5f));
    }

    String relu(String module, String x) {
        return add(new ReluNode(nodeName(module, "Relu"), List.of(x), out(module, "Relu")));
    }

    /** ReLU6 as Clip(x, 0, 6) with scalar min and max initializers shared by every Clip. */
    String relu6(String module, String x) {
        String lo = inits.containsKey("relu6.min") ? "relu6.min" : init("relu6.min", Tensor.scalar(0f));
        String hi = inits.containsKey("relu6.max") ? "relu6.max" : init("relu6.max", Tensor.scalar(6f));
        return add(new ClipNode(nodeName(module, "Clip"), List.of(x, lo, hi), out(module, "Clip")));
    }

    String add(String module, String a, String b) {
        return add(new BinaryNode(nodeName(module, "Add"), BinaryOp.ADD, List.of(a, b), out(module, "Add")));
    }

    String maxPool(String module, String x, int k, int stride, int pad) {
        var window = new Window2d(k, k, stride, stride, pad, pad, pad, pad, 1, 1);
        return add(new MaxPool2dNode(nodeName(module, "MaxPool"), List.of(x), out(module, "MaxPool"), window, false));
    }

    String globalAvgPool(String module, String x) {
        return add(new GlobalAvgPoolNode(
                nodeName(module, "GlobalAveragePool"), List.of(x), out(module, "GlobalAveragePool")));
    }

    String flatten(String module, String x) {
        return add(new FlattenNode(nodeName(module, "Flatten"), List.of(x), out(module, "Flatten"), 1));
    }

    /** The classifier: Gemm with transB weights [out, in] (He-normal) and a zero bias; its output is the graph output. */
    String classifier(String module, String x, int in, int outFeatures) {
        String w = init(module + ".weight", weights.heNormal(Shape.of(outFeatures, in), in));
        String b = init(module + ".bias", Tensor.ofFloats(Shape.of(outFeatures), new float[outFeatures]));
        return add(new GemmNode(nodeName(module, "Gemm"), List.of(x, w, b), OUTPUT, 1f, 1f, false, true));
    }

    /** The typed graph, its output the last node's. */
    Graph build() {
        Graph g = new Graph(
                name,
                13,
                List.of(input),
                List.of(new ValueInfo(OUTPUT, TensorType.f32())),
                inits,
                nodes,
                Map.of(),
                Set.of());
        return InferTypesPass.infer(g);
    }

    private String add(Node n) {
        nodes.add(n);
        return n.output();
    }

    private String init(String value, Tensor t) {
        if (inits.put(value, t) != null) {
            throw new IllegalStateException("initializer '" + value + "' defined twice in " + name);
        }
        return value;
    }

    private static String nodeName(String module, String op) {
        return "/" + module.replace('.', '/') + "/" + op;
    }

    private static String out(String module, String op) {
        return nodeName(module, op) + "_output_0";
    }
}

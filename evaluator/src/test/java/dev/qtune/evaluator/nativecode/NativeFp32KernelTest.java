package dev.qtune.evaluator.nativecode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.ir.ClipNode;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.FlattenNode;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.TensorType;
import dev.qtune.compiler.ir.ValueInfo;
import dev.qtune.compiler.ir.Window2d;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.evaluator.SharedTestCache;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.targets.RunMode;
import dev.qtune.targets.Target;
import dev.qtune.targets.codegen.CModule;
import dev.qtune.targets.codegen.CModuleEmitter;
import dev.qtune.targets.runner.InferResult;
import dev.qtune.targets.runner.NativeModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property test of the fp32 kernels: seeded random fp32 graphs (a convolution of any group,
 * depthwise included, strides 1-3, asymmetric pads, kernels 1-7, dilation; a max pool; a dense
 * layer) run natively match the Java fp32 interpreter within docs/codegen.md's fp32 tolerance on
 * every target that runs here. On x86 targets this covers the fast FMA kernels (phase-split
 * planes, register panels with a partial last panel, wide rows, 1 or 2 threads); generic-c runs
 * the interpreter's order, so there the tolerance holds trivially (it is bit-exact).
 */
class NativeFp32KernelTest {
    private static final int CASES = TestCases.of(4, 10);
    private static final int SAMPLES = 4;
    /** docs/codegen.md, "fp32 tolerance": |native - interpreter| <= TOLERANCE * (1 + max |interpreter output|). */
    static final double TOLERANCE = 1e-5;

    static final Path cache = SharedTestCache.dir();

    static Stream<Arguments> cases() {
        return NativeTargets.names().flatMap(t -> IntStream.range(0, CASES).mapToObj(seed -> Arguments.of(t, seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void randomFp32LayersMatchTheInterpreter(String targetName, int seed) {
        Target target = NativeTargets.runnable(targetName);
        Random r = new Random(seed);
        Graph g = PassPipeline.prerequisites().run(randomGraph(r));
        int per = g.inputs().get(0).type().shape().bind(1).numel();
        float[] x = NativeKernelPropertyTest.uniform(seed + 1000, SAMPLES * per);
        float[] expected = new Fp32Interpreter(g).run(x, SAMPLES).floats();
        CModule module = CModuleEmitter.emit(g, target, ScheduleConfig.EMPTY);
        NativeModel m = NativeModel.build(module, target, cache, List.of());
        assertEquals("", m.compiled().warnings(), "compiler warnings, seed " + seed);
        InferResult out = m.infer(x, SAMPLES, 1 + r.nextInt(2), NativeModel.defaultTimeout());
        assertEquals("", out.reason());
        assertWithinTolerance(expected, out.outputs(), "seed " + seed + "\n" + g);
    }

    /**
     * Layers that reach each path of the fast kernels: a 1x1 layer reading its input in place and
     * writing its output in place (pixels a multiple of 32), one with stride 2 that writes in place,
     * a Clip (ReLU6) and a Relu fused into the store, depthwise with a fused Clip at stride 2, a
     * 7x7 stride-2 first layer of 3 channels, one wide enough for several pixel blocks, and layers
     * with few pixels that take the channel-vector kernel ("cv"; 1x1 in place, a partial channel
     * block, a partial pixel tile).
     */
    static Stream<Arguments> layers() {
        String[] layers = {
            "c=16 oc=24 k=1 h=8 w=8 s=1 p=0 act=none", "c=16 oc=24 k=1 h=16 w=16 s=2 p=0 act=relu",
            "c=8 oc=20 k=3 h=9 w=11 s=1 p=1 act=clip", "c=12 oc=12 k=3 h=15 w=13 s=2 p=1 act=clip dw",
            "c=3 oc=24 k=7 h=23 w=23 s=2 p=3 act=relu", "c=64 oc=8 k=3 h=40 w=40 s=1 p=1 act=none",
            "c=32 oc=64 k=3 h=7 w=7 s=1 p=1 act=relu cv", "c=96 oc=96 k=1 h=7 w=7 s=1 p=0 act=clip cv",
            "c=16 oc=60 k=3 h=14 w=14 s=2 p=1 act=none cv"
        };
        return NativeTargets.names().flatMap(t -> Stream.of(layers).map(l -> Arguments.of(t, l)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("layers")
    void namedLayersMatchTheInterpreter(String targetName, String layer) {
        Target target = NativeTargets.runnable(targetName);
        Map<String, Integer> v = new HashMap<>();
        for (String kv : layer.split(" ")) {
            if (kv.contains("=") && !kv.startsWith("act")) {
                v.put(kv.substring(0, kv.indexOf('=')), Integer.parseInt(kv.substring(kv.indexOf('=') + 1)));
            }
        }
        int c = v.get("c");
        int oc = v.get("oc");
        int k = v.get("k");
        int group = layer.endsWith(" dw") ? c : 1;
        boolean cv = layer.endsWith(" cv");
        Window2d win = new Window2d(k, k, v.get("s"), v.get("s"), v.get("p"), v.get("p"), v.get("p"), v.get("p"), 1, 1);
        List<Node> nodes = new ArrayList<>();
        nodes.add(new Conv2dNode("conv", List.of("x", "w", "b"), "c", win, group));
        Map<String, Tensor> inits = new HashMap<>(Map.of(
                "w",
                        Tensor.ofFloats(
                                Shape.of(oc, c / group, k, k),
                                NativeKernelPropertyTest.uniform(1, oc * (c / group) * k * k)),
                "b", Tensor.ofFloats(Shape.of(oc), NativeKernelPropertyTest.uniform(2, oc))));
        String last = "c";
        if (layer.contains("act=relu")) {
            nodes.add(new ReluNode("relu", List.of(last), "a"));
            last = "a";
        } else if (layer.contains("act=clip")) {
            nodes.add(new ClipNode("clip", List.of(last, "lo", "hi"), "a"));
            inits.put("lo", Tensor.ofFloats(Shape.of(), new float[] {0f}));
            inits.put("hi", Tensor.ofFloats(Shape.of(), new float[] {0.5f}));
            last = "a";
        }
        nodes.add(new FlattenNode("flatten", List.of(last), "y", 1));
        Graph g = PassPipeline.prerequisites()
                .run(new Graph(
                        "layer",
                        13,
                        List.of(new ValueInfo(
                                "x", new TensorType(DType.F32, Shape.of(Shape.DYNAMIC, c, v.get("h"), v.get("w"))))),
                        List.of(new ValueInfo("y", TensorType.f32())),
                        inits,
                        nodes,
                        Map.of(),
                        Set.of()));
        int per = g.inputs().get(0).type().shape().bind(1).numel();
        float[] x = NativeKernelPropertyTest.uniform(3, SAMPLES * per);
        float[] expected = new Fp32Interpreter(g).run(x, SAMPLES).floats();
        CModule module = CModuleEmitter.emit(g, target, ScheduleConfig.EMPTY);
        if (target.features().fastFp32()) {
            assertEquals(cv, module.modelSource().contains("qt_conv_f32_cv_part("), layer);
        }
        NativeModel m = NativeModel.build(module, target, cache, List.of());
        assertEquals("", m.compiled().warnings(), "compiler warnings, " + layer);
        for (int threads = 1; threads <= 2; threads++) {
            InferResult out = m.infer(x, SAMPLES, threads, NativeModel.defaultTimeout());
            assertEquals("", out.reason());
            assertWithinTolerance(expected, out.outputs(), layer + ", " + threads + " threads");
        }
    }

    static Stream<Arguments> models() {
        String[][] models = {{"mlp_mnist", "mnist"}, {"lenet5_mnist", "mnist"}, {"resnet8_fashion", "fashion-mnist"}};
        return NativeTargets.names().flatMap(t -> Stream.of(models).map(m -> Arguments.of(t, m[0], m[1])));
    }

    /** The shared models in fp32 on 512 test images: within the tolerance, and every prediction the same. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void sharedFp32ModelsMatchTheInterpreter(String targetName, String model, String data) {
        Target target = NativeTargets.runnable(targetName);
        int images = NativeTargets.HOST.runMode(target) == RunMode.NATIVE ? 512 : 64;
        Graph g = PassPipeline.prerequisites().run(OnnxImporter.load(Path.of("..", "models", model + ".onnx")));
        Dataset test = Datasets.load(data, "test");
        float[] expected =
                new Fp32Interpreter(g).run(test.batch(0, images), images).floats();
        NativeRun run = NativeEvaluation.run(g, target, ScheduleConfig.EMPTY, test, images, 1, Optional.empty(), cache);
        assertWithinTolerance(expected, run.outputs(), model + " on " + targetName);
        int classes = expected.length / images;
        for (int i = 0; i < images; i++) {
            assertEquals(
                    argmax(expected, i * classes, classes),
                    argmax(run.outputs(), i * classes, classes),
                    "prediction of image " + i + ", " + model + " on " + targetName);
        }
    }

    private static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[from + i] > v[from + best]) {
                best = i;
            }
        }
        return best;
    }

    /** The fp32 tolerance of docs/codegen.md; the message names the worst element. */
    static void assertWithinTolerance(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 1;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        int worst = 0;
        double worstErr = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs((double) expected[i] - actual[i]);
            if (!(err <= worstErr)) {
                worstErr = err;
                worst = i;
            }
        }
        System.err.printf(
                "fp32 %s: largest error %.3g, scale %.3g%n",
                what.lines().findFirst().orElse(""), worstErr, scale);
        assertTrue(
                worstErr <= TOLERANCE * (1 + scale),
                "output " + worst + ": native " + actual[worst] + ", interpreter " + expected[worst] + " (error "
                        + worstErr + " > " + TOLERANCE + " x " + (1 + scale) + ") for " + what);
    }

    /** input -> conv (random geometry and group) -> relu? -> max pool? -> flatten -> gemm, all fp32. */
    private static Graph randomGraph(Random r) {
        boolean depthwise = r.nextInt(3) == 0;
        int group = depthwise ? 0 : r.nextInt(4) == 0 ? 2 : 1;
        int c = depthwise ? 1 + r.nextInt(20) : group * (1 + r.nextInt(9));
        int oc = depthwise ? c : group * (1 + r.nextInt(r.nextBoolean() ? 20 : 40));
        group = depthwise ? c : group;
        int kh = 1 + r.nextInt(7);
        int kw = r.nextBoolean() ? kh : 1 + r.nextInt(7);
        int h = kh + r.nextInt(12);
        int w = kw + r.nextInt(20);
        int sh = 1 + r.nextInt(3);
        int sw = r.nextBoolean() ? sh : 1 + r.nextInt(3);
        int dil = r.nextInt(6) == 0 ? 2 : 1;
        Window2d win = new Window2d(
                kh,
                kw,
                sh,
                sw,
                r.nextInt(kh / 2 + 1),
                r.nextInt(kw / 2 + 1),
                r.nextInt(kh / 2 + 1),
                r.nextInt(kw / 2 + 1),
                dil,
                dil);
        int ho = win.outHeight(h, false);
        int wo = win.outWidth(w, false);
        List<Node> nodes = new ArrayList<>();
        nodes.add(new Conv2dNode("conv", List.of("x", "w", "b"), "c", win, group));
        String last = "c";
        if (r.nextBoolean()) {
            nodes.add(new ReluNode("relu", List.of(last), "r"));
            last = "r";
        }
        if (ho >= 2 && wo >= 2 && r.nextBoolean()) {
            int k = 2 + r.nextInt(2);
            int s = 1 + r.nextInt(2);
            int p = r.nextInt(k / 2 + 1);
            Window2d pw = new Window2d(k, k, s, s, p, p, p, p, 1, 1);
            nodes.add(new MaxPool2dNode("pool", List.of(last), "p", pw, false));
            ho = pw.outHeight(ho, false);
            wo = pw.outWidth(wo, false);
            last = "p";
        }
        int classes = 1 + r.nextInt(40);
        nodes.add(new FlattenNode("flatten", List.of(last), "f", 1));
        nodes.add(new GemmNode("fc", List.of("f", "fw", "fb"), "y", 1f, 1f, false, r.nextBoolean()));
        int features = oc * ho * wo;
        boolean transB = ((GemmNode) nodes.get(nodes.size() - 1)).transB();
        Map<String, Tensor> inits = Map.of(
                "w",
                        Tensor.ofFloats(
                                Shape.of(oc, c / group, kh, kw),
                                NativeKernelPropertyTest.uniform(r.nextLong(), oc * (c / group) * kh * kw)),
                "b", Tensor.ofFloats(Shape.of(oc), NativeKernelPropertyTest.uniform(r.nextLong(), oc)),
                "fw",
                        Tensor.ofFloats(
                                transB ? Shape.of(classes, features) : Shape.of(features, classes),
                                NativeKernelPropertyTest.uniform(r.nextLong(), classes * features)),
                "fb", Tensor.ofFloats(Shape.of(classes), NativeKernelPropertyTest.uniform(r.nextLong(), classes)));
        return new Graph(
                "random-fp32",
                13,
                List.of(new ValueInfo("x", new TensorType(DType.F32, Shape.of(Shape.DYNAMIC, c, h, w)))),
                List.of(new ValueInfo("y", TensorType.f32())),
                inits,
                nodes,
                Map.of(),
                Set.of());
    }
}

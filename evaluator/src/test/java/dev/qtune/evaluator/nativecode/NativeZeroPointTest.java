package dev.qtune.evaluator.nativecode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.interp.IntegerInterpreter;
import dev.qtune.compiler.ir.AvgPool2dNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.DequantizeNode;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QAddNode;
import dev.qtune.compiler.ir.QConcatNode;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.ir.QuantizeNode;
import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.TensorType;
import dev.qtune.compiler.ir.ValueInfo;
import dev.qtune.compiler.ir.Window2d;
import dev.qtune.compiler.lower.ConvSchedules;
import dev.qtune.compiler.lower.Knob;
import dev.qtune.compiler.lower.MemoryPlan;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.compiler.lower.TensorStorage;
import dev.qtune.compiler.pass.InferTypesPass;
import dev.qtune.compiler.quant.FixedPointMultiplier;
import dev.qtune.compiler.quant.IntRange;
import dev.qtune.compiler.quant.Rounding;
import dev.qtune.evaluator.SharedTestCache;
import dev.qtune.targets.NativeBuild;
import dev.qtune.targets.RunMode;
import dev.qtune.targets.Target;
import dev.qtune.targets.Targets;
import dev.qtune.targets.codegen.CModule;
import dev.qtune.targets.codegen.CModuleEmitter;
import dev.qtune.targets.runner.InferResult;
import dev.qtune.targets.runner.NativeModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property test of zero points in native code (docs/integer-semantics.md, "Zero points"): seeded
 * random integer graphs built directly from the IR records, with random non-zero zero points on
 * every activation, give outputs bit-identical to the Java integer interpreter on every target
 * that runs here, compile without warnings (also for a target this host compiles for but cannot
 * run), and (one seed in four, on native targets) run clean under AddressSanitizer and
 * UndefinedBehaviorSanitizer.
 * <ul>
 * <li>conv: Quantize (u8, i8 or i16, z anywhere in the range) -> QConv (strides, asymmetric pads,
 * dilation; padding reads the input zero point; the realizer-consistent bias
 * {@code b - z_x * sum(w)}; output zero point, a fused-Relu range {@code [z_y, hi]} or a narrow
 * one) -> maybe a second QConv reading the first's zero point -> Dequantize, with random schedules
 * (every oc_block / ow_tile, dot 16 or the default, 1 or 2 threads). The seed fixes what each case
 * covers (seed mod 4: group 1, group 1, depthwise, grouped): 8-bit dot on the AVX2 kernel and on the
 * portable one (oc_block 64, its pad row of z + 128 or z) in seeds 1, 5 and 13, 16-bit inputs
 * (int16 pad rows and halo) in 4, 7, 9 and 14, int64 accumulators in 4 and 7, the AVX2 depthwise
 * kernel (channels a multiple of 8) in 2, 10, 14 and 18 (the portable one in 6 on x86); 9-bit
 * weights stored int16 (uint8 weights less a zero point far from 128) in 16 to 19;</li>
 * <li>dense: Quantize -> QDense (-> QDense) -> Dequantize (8-bit dot in seed 1, int64 in seed 3,
 * 9-bit weights in seed 4);</li>
 * <li>elementwise: two Quantizes of the input (different types, scales and zero points) -> QAdd ->
 * QConcat of the sum and both -> by seed mod 4 GlobalAvgPool, MaxPool, AvgPool counting the pads
 * or not (random pads, ceil mode) -> Dequantize.</li>
 * </ul>
 * Inputs include NaN, infinities and values far outside the range (Quantize gives clamp(z) and
 * saturates).
 */
class NativeZeroPointTest {
    private static final int SAMPLES = 6;
    private static final Map<String, Integer> SEEDS =
            Map.of("conv", TestCases.of(7, 20), "dense", TestCases.of(3, 5), "elementwise", TestCases.of(4, 8));
    private static final List<String> SANITIZERS =
            List.of("-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer", "-g");

    static final Path cache = SharedTestCache.dir();

    static Stream<Arguments> cases() {
        return NativeTargets.names()
                .flatMap(t -> Stream.of("conv", "dense", "elementwise")
                        .flatMap(kind ->
                                IntStream.range(0, SEEDS.get(kind)).mapToObj(seed -> Arguments.of(t, kind, seed))));
    }

    @ParameterizedTest(name = "{0} {1} seed {2}")
    @MethodSource("cases")
    void randomAsymmetricLayersAreBitExact(String targetName, String kind, int seed) {
        Target target = Targets.byName(targetName);
        Random r = new Random(seed * 1_000_003L + kind.hashCode());
        GraphBuilder b = new GraphBuilder(r);
        Graph g = switch (kind) {
            case "conv" -> b.conv(seed);
            case "dense" -> b.dense(seed);
            default -> b.elementwise(seed);
        };
        assertTrue(hasZeroPoints(g), "no zero point in\n" + g);
        ScheduleConfig schedule = b.dot8
                ? dot8Schedule(g, target, r, seed == 5 ? 32 : 64)
                : NativeKernelPropertyTest.randomSchedule(g, target, r);
        int per = g.inputs().get(0).type().shape().bind(1).numel();
        float[] x = inputs(r, SAMPLES * per);
        CModule module = CModuleEmitter.emit(g, target, schedule);
        System.out.println(targetName + " " + kind + " seed " + seed + ": " + kernels(module));
        if (NativeTargets.compilesOnly(target)) {
            assertEquals(
                    "",
                    NativeBuild.build(target, module.sources(), List.of(), cache)
                            .warnings(),
                    "compiler warnings (compiled only)");
        }
        NativeTargets.runnable(targetName);
        float[] expected = new IntegerInterpreter(g).run(x, SAMPLES).floats();
        boolean sanitize = seed % 4 == 1 && NativeTargets.HOST.runMode(target) == RunMode.NATIVE;
        NativeModel m = NativeModel.build(module, target, cache, sanitize ? SANITIZERS : List.of());
        assertEquals("", m.compiled().warnings(), "compiler warnings");
        InferResult out = m.infer(x, SAMPLES, 1 + r.nextInt(2), NativeModel.defaultTimeout());
        assertEquals("", out.reason());
        if (sanitize) {
            assertFalse(
                    out.process().stderr().contains("runtime error"),
                    out.process().stderr());
        }
        assertEquals(
                Arrays.toString(expected),
                Arrays.toString(out.outputs()),
                kind + " seed " + seed + " schedule " + schedule + "\n" + g.nodes());
    }

    /**
     * For every QConv and QDense: a random ow_tile, oc_block {@code ocBlock} (64: the portable
     * kernel) or one of at most 32 (the AVX2 kernel) where valid, and the default dot: 8 where exact
     * on x86.
     */
    private static ScheduleConfig dot8Schedule(Graph g, Target target, Random r, int ocBlock) {
        MemoryPlan plan = MemoryPlan.plan(g);
        ScheduleConfig s = ScheduleConfig.EMPTY;
        for (Node n : g.nodes()) {
            if (n instanceof QConv2dNode || n instanceof QDenseNode) {
                TensorStorage y = plan.storage().get(n.outputs().get(0));
                for (Knob knob : ConvSchedules.space(
                        y.paddedChannels(), y.width(), target.features().int32Lanes())) {
                    List<Integer> c = knob.candidates();
                    if (knob.name().equals(ConvSchedules.OC_BLOCK)) {
                        List<Integer> fit = c.stream()
                                .filter(v -> ocBlock > 32 ? v == ocBlock : v <= ocBlock)
                                .toList();
                        c = fit.isEmpty() ? c : fit;
                    }
                    s = s.with(n.name(), knob.name(), c.get(r.nextInt(c.size())));
                }
            }
        }
        return s;
    }

    private static boolean hasZeroPoints(Graph g) {
        return g.nodes().stream()
                .anyMatch(n -> n instanceof QuantizeNode q && q.zeroPoint() != 0
                        || n instanceof DequantizeNode d && d.zeroPoint() != 0);
    }

    /** The kernels a module calls and the dot of each direct one, for the test log. */
    private static String kernels(CModule m) {
        Matcher k = Pattern.compile("\\b(qt_[a-z0-9_]+)\\(").matcher(m.modelSource());
        Set<String> used = new TreeSet<>();
        while (k.find()) {
            used.add(k.group(1).replaceAll("_(part|prepare)$", ""));
        }
        used.remove("qt_parallel");
        return used + " " + m.schedule();
    }

    /** Values in [-1, 1] with a few NaN, infinities and huge ones. */
    private static float[] inputs(Random r, int n) {
        float[] x = NativeKernelPropertyTest.uniform(r.nextLong(), n);
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e30f, -1e30f, 0f, -0f};
        for (int i = 0; i < Math.max(1, n / 50); i++) {
            x[r.nextInt(n)] = special[r.nextInt(special.length)];
        }
        return x;
    }

    /** An integer activation: storage type, saturation range, zero point (in the range) and scale. */
    private record Act(DType dtype, IntRange range, int zeroPoint, float scale) {}

    /** Builds one random realized graph from IR records, then types it. */
    private static final class GraphBuilder {
        private final Random r;
        /** Whether the case is made for the 8-bit dot path (7-bit weights, 8-bit inputs). */
        boolean dot8;
        /** Forced weight bits (7, 8), or 0 for random. */
        private int weightBits;

        private final List<Node> nodes = new ArrayList<>();
        private final Map<String, Tensor> inits = new LinkedHashMap<>();

        GraphBuilder(Random r) {
            this.r = r;
        }

        Graph conv(int seed) {
            boolean depthwise = seed % 4 == 2;
            boolean wide = seed == 4 || seed == 7;
            boolean i16 = wide || seed == 9 || seed == 14;
            dot8 = seed == 1 || seed == 5 || seed == 13;
            weightBits = dot8 ? 7 : wide ? 8 : seed >= 16 ? 9 : 0;
            int group = seed % 4 == 3 ? 2 + r.nextInt(2) : 1;
            int c = depthwise
                    ? (seed % 8 == 2 || seed == 14 ? 8 * (1 + r.nextInt(3)) : 1 + r.nextInt(24))
                    : group * (wide ? 64 + r.nextInt(32) : 1 + r.nextInt(9));
            int oc = depthwise
                    ? c
                    : seed == 1 || seed == 13 ? 57 + r.nextInt(8) : group * (1 + r.nextInt(r.nextBoolean() ? 20 : 40));
            group = depthwise ? c : group;
            boolean threeByThree = wide || seed == 1 || seed == 13;
            int kh = threeByThree ? 3 : 1 + 2 * r.nextInt(3);
            int kw = threeByThree ? 3 : r.nextInt(3) == 0 ? 1 + 2 * r.nextInt(3) : kh;
            int dil = kh > 1 && kw > 1 && r.nextInt(5) == 0 ? 2 : 1;
            int h = dil * (kh - 1) + 1 + r.nextInt(9);
            int w = dil * (kw - 1) + 1 + r.nextInt(12);
            Act in = act(i16);
            String q = quantize("x", Shape.of(Shape.DYNAMIC, c, h, w), in);
            int stride = 1 + r.nextInt(2);
            // Padding on top wherever the kernel is taller than 1, the other sides at random.
            Window2d win = new Window2d(
                    kh,
                    kw,
                    stride,
                    stride,
                    kh > 1 ? 1 + r.nextInt(kh / 2) : 0,
                    r.nextInt(kw / 2 + 1),
                    r.nextInt(kh / 2 + 1),
                    r.nextInt(kw / 2 + 1),
                    dil,
                    dil);
            Act out = act(in.dtype() == DType.I16 && r.nextBoolean());
            String y = qconv("conv", q, in, c, oc, group, win, out);
            if (!dot8 && r.nextBoolean()) { // a second layer whose padding reads the first one's output zero point
                int k2 = r.nextBoolean() ? 3 : 1;
                Act out2 = act(false);
                y = qconv(
                        "conv2",
                        y,
                        out,
                        oc,
                        1 + r.nextInt(16),
                        1,
                        new Window2d(k2, k2, 1, 1, k2 / 2, k2 / 2, k2 / 2, k2 / 2, 1, 1),
                        out2);
                out = out2;
            }
            return finish(Shape.of(Shape.DYNAMIC, c, h, w), y, out);
        }

        Graph dense(int seed) {
            dot8 = seed == 1;
            weightBits = dot8 ? 7 : seed == 3 ? 8 : seed == 4 ? 9 : 0;
            int k = seed == 3 ? 520 + r.nextInt(80) : 1 + r.nextInt(300);
            Act in = act(seed == 3);
            Act out = act(false);
            int n = 1 + r.nextInt(40);
            String y = qdense("fc", quantize("x", Shape.of(Shape.DYNAMIC, k), in), in, k, n, out);
            if (!dot8 && r.nextBoolean()) {
                Act out2 = act(false);
                y = qdense("fc2", y, out, n, 1 + r.nextInt(12), out2);
                out = out2;
            }
            return finish(Shape.of(Shape.DYNAMIC, k), y, out);
        }

        Graph elementwise(int seed) {
            int c = 1 + r.nextInt(12);
            int h = 2 + r.nextInt(8);
            int w = 2 + r.nextInt(10);
            Shape shape = Shape.of(Shape.DYNAMIC, c, h, w);
            Act a = act(r.nextInt(6) == 0);
            Act b = act(r.nextInt(6) == 0);
            String qa = quantize("x", shape, a);
            String qb = quantize("x", shape, b);
            Act sum = act(false);
            // Rounding upward (even seeds) takes qt_add's AVX2 path, 8 elements at a time, then the tail.
            nodes.add(new QAddNode(
                    "add",
                    List.of(qa, qb),
                    "sum",
                    new Requantize(
                            List.of(multiplier(a.scale() / sum.scale()), multiplier(b.scale() / sum.scale())),
                            seed % 2 == 0 ? Rounding.UPWARD : Rounding.TONEAREST,
                            sum.range(),
                            sum.dtype(),
                            sum.scale(),
                            "sum",
                            sum.zeroPoint()),
                    List.of(a.zeroPoint(), b.zeroPoint())));
            Act cat = act(r.nextInt(6) == 0);
            nodes.add(new QConcatNode(
                    "concat",
                    List.of("sum", qa, qb),
                    "cat",
                    1,
                    requantize(
                            cat,
                            "cat",
                            multiplier(sum.scale() / cat.scale()),
                            multiplier(a.scale() / cat.scale()),
                            multiplier(b.scale() / cat.scale())),
                    List.of(sum.zeroPoint(), a.zeroPoint(), b.zeroPoint())));
            int k = 2 + r.nextInt(Math.min(h, w) - 1);
            Window2d win = new Window2d(
                    k,
                    k,
                    1 + r.nextInt(2),
                    1 + r.nextInt(2),
                    r.nextInt(k / 2 + 1),
                    r.nextInt(k / 2 + 1),
                    r.nextInt(k / 2 + 1),
                    r.nextInt(k / 2 + 1),
                    1,
                    1);
            boolean ceil = r.nextBoolean();
            nodes.add(
                    switch (seed % 4) {
                        case 0 -> new GlobalAvgPoolNode("pool", List.of("cat"), "pooled", cat.zeroPoint());
                        case 1 -> new MaxPool2dNode("pool", List.of("cat"), "pooled", win, ceil);
                        default ->
                            new AvgPool2dNode(
                                    "pool", List.of("cat"), "pooled", win, ceil, seed % 4 == 2, cat.zeroPoint());
                    });
            return finish(shape, "pooled", cat);
        }

        /** A random activation type: u8 or i8 (full, 7-bit or 4-bit ranges), or i16 when {@code wide}. */
        private Act act(boolean wide) {
            IntRange range;
            DType d;
            if (wide) {
                d = DType.I16;
                range = r.nextBoolean() ? IntRange.signed(16) : new IntRange(-32768, 32767);
            } else if (r.nextBoolean()) {
                d = DType.U8;
                range = switch (r.nextInt(4)) {
                    case 0 -> IntRange.unsigned(7);
                    case 1 -> IntRange.unsigned(4);
                    default -> IntRange.unsigned(8);
                };
            } else {
                d = DType.I8;
                range = switch (r.nextInt(4)) {
                    case 0 -> IntRange.signed(8);
                    case 1 -> new IntRange(-128, 0); // a uint8 [0, 128] re-encoded
                    default -> new IntRange(-128, 127);
                };
            }
            int z = 0;
            while (z == 0 && r.nextInt(8) != 0) { // mostly non-zero, at times symmetric
                z = switch (r.nextInt(6)) {
                    case 0 -> range.min();
                    case 1 -> range.max();
                    default -> range.min() + r.nextInt(range.max() - range.min() + 1);
                };
            }
            if (!wide && r.nextInt(4) == 0) { // a fused Relu: [z, hi]
                range = new IntRange(z, range.max());
            }
            float scale = (float) (2.5 / (range.max() - range.min() + 1) * (0.5 + r.nextDouble()));
            return new Act(d, range, z, scale);
        }

        private String quantize(String x, Shape shape, Act a) {
            String out = "q" + nodes.size();
            nodes.add(new QuantizeNode(out, List.of(x), out, a.scale(), a.dtype(), a.range(), a.zeroPoint()));
            return out;
        }

        /** A convolution with int8 weights, per-channel multipliers and the realizer-consistent bias. */
        private String qconv(String name, String x, Act in, int c, int oc, int group, Window2d win, Act out) {
            int cg = c / group;
            int taps = win.kernelH() * win.kernelW();
            int[] w = weights(oc * cg * taps);
            int[] bias = bias(w, oc, in, cg * taps);
            inits.put(name + "/w", Tensor.ofInts(weightType(), Shape.of(oc, cg, win.kernelH(), win.kernelW()), w));
            inits.put(name + "/b", Tensor.ofInts(DType.I32, Shape.of(oc), bias));
            nodes.add(new QConv2dNode(
                    name,
                    List.of(x, name + "/w", name + "/b"),
                    name,
                    win,
                    group,
                    requantize(out, name, multipliers(oc, cg * taps, in, w)),
                    in.zeroPoint()));
            return name;
        }

        private String qdense(String name, String x, Act in, int k, int n, Act out) {
            int[] w = weights(n * k);
            inits.put(name + "/w", Tensor.ofInts(weightType(), Shape.of(n, k), w));
            inits.put(name + "/b", Tensor.ofInts(DType.I32, Shape.of(n), bias(w, n, in, k)));
            nodes.add(new QDenseNode(
                    name, List.of(x, name + "/w", name + "/b"), name, requantize(out, name, multipliers(n, k, in, w))));
            return name;
        }

        /**
         * 7-bit (dot 8 exact on 8-bit inputs), 8-bit (-128 included), 4-bit, or 9-bit weights (a
         * pre-quantized model's uint8 weights less their zero point, [-255, 255] at most: int16).
         */
        private int[] weights(int n) {
            if (weightBits == 9) {
                int z = 1 + r.nextInt(254); // the file's zero point: q - z in [-z, 255 - z]
                return r.ints(n, -z, 256 - z).toArray();
            }
            int lo = switch (weightBits == 7 ? 0 : weightBits == 8 ? 1 : r.nextInt(3)) {
                case 0 -> -64;
                case 1 -> -128;
                default -> -7;
            };
            int hi = lo == -128 ? 127 : -lo;
            return r.ints(n, lo, hi + 1).toArray();
        }

        private DType weightType() {
            return weightBits == 9 ? DType.I16 : DType.I8;
        }

        /** b - z_x * sum(w) per output channel, as the realizer folds the compensation term. */
        private int[] bias(int[] w, int outputs, Act in, int per) {
            int[] b = new int[outputs];
            for (int o = 0; o < outputs; o++) {
                long sum = 0;
                for (int i = 0; i < per; i++) {
                    sum += w[o * per + i];
                }
                b[o] = (int) (r.nextInt(4001) - 2000 - (long) in.zeroPoint() * sum);
            }
            return b;
        }

        /** Per-channel (or one) multipliers that spread sum((x - z_x) * w) over the output range, some saturating. */
        private FixedPointMultiplier[] multipliers(int outputs, int k, Act in, int[] w) {
            double spreadX = (in.range().max() - in.range().min()) / 2.0 + 1;
            double spreadW = Arrays.stream(w).map(Math::abs).max().orElse(1) / 2.0 + 1;
            double base = 100.0 / (Math.sqrt(k) * spreadX * spreadW);
            FixedPointMultiplier[] m = new FixedPointMultiplier[r.nextBoolean() ? outputs : 1];
            for (int o = 0; o < m.length; o++) {
                m[o] = multiplier(base * Math.pow(2, 3 * r.nextDouble() - 1.5));
            }
            return m;
        }

        private static FixedPointMultiplier multiplier(double real) {
            return FixedPointMultiplier.of(real);
        }

        private Requantize requantize(Act out, String tensor, FixedPointMultiplier... m) {
            return new Requantize(
                    List.of(m),
                    r.nextBoolean() ? Rounding.UPWARD : Rounding.TONEAREST,
                    out.range(),
                    out.dtype(),
                    out.scale(),
                    tensor,
                    out.zeroPoint());
        }

        private Graph finish(Shape inShape, String y, Act out) {
            nodes.add(new DequantizeNode("dequantize", List.of(y), "y", out.scale(), out.zeroPoint()));
            return InferTypesPass.infer(new Graph(
                    "zero-points",
                    13,
                    List.of(new ValueInfo("x", new TensorType(DType.F32, inShape))),
                    List.of(new ValueInfo("y", TensorType.f32())),
                    inits,
                    nodes,
                    Map.of(),
                    Set.of()));
        }
    }
}

package dev.qtune.evaluator.nativecode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.interp.IntegerInterpreter;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.FlattenNode;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.ir.ReluNode;
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
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.CalibrationStats;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.compiler.quant.QuantizedModel;
import dev.qtune.compiler.quant.StatsCollector;
import dev.qtune.evaluator.SharedTestCache;
import dev.qtune.targets.Target;
import dev.qtune.targets.codegen.CModuleEmitter;
import dev.qtune.targets.runner.InferResult;
import dev.qtune.targets.runner.NativeModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property test of the native kernels: seeded random convolutions (any group, depthwise, strides,
 * pads, dilations), dense layers, bit widths 2-8 and 16-bit activations, with random schedule
 * knobs (the 8-bit dot path where it is exact, or the 16-bit one), give outputs bit-identical to the Java integer interpreter on every target that runs here.
 * On x86 this covers the AVX2 direct kernel (halo-padded input, every oc_block / ow_tile, partial
 * channel blocks and remainder tiles), the AVX2 depthwise kernel (padded channels a multiple of 8;
 * other counts take the portable one) and their work split over 1 or 2 threads.
 */
class NativeKernelPropertyTest {
    private static final int CASES = TestCases.of(6, 16);
    private static final int SAMPLES = 6;

    static final Path cache = SharedTestCache.dir();

    static Stream<Arguments> cases() {
        return NativeTargets.names().flatMap(t -> IntStream.range(0, CASES).mapToObj(seed -> Arguments.of(t, seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void randomLayersAreBitExact(String targetName, int seed) {
        Target target = NativeTargets.runnable(targetName);
        Random r = new Random(seed);
        Graph fp32 = PassPipeline.prerequisites().run(randomGraph(r));
        String config = String.format(
                "defaults:%n  weight_bits: %d%n  activation_bits: %d%n  granularity: %s%n"
                        + "  activation_calibration: %s%n",
                2 + r.nextInt(7),
                r.nextInt(4) == 0 ? 16 : 8,
                r.nextBoolean() ? "per_channel" : "per_tensor",
                r.nextBoolean() ? "max" : "power2");
        Graph realized = QuantizedModel.of(
                        fp32, QuantConfigReader.parse(config, "random-" + seed + ".yaml"), calibrate(fp32, seed))
                .realized();
        ScheduleConfig schedule = randomSchedule(realized, target, r);
        int per = fp32.inputs().get(0).type().shape().bind(1).numel();
        float[] x = uniform(seed + 1000, SAMPLES * per);
        float[] expected = new IntegerInterpreter(realized).run(x, SAMPLES).floats();
        NativeModel m = NativeModel.build(CModuleEmitter.emit(realized, target, schedule), target, cache, List.of());
        InferResult out = m.infer(x, SAMPLES, 1 + r.nextInt(2), NativeModel.defaultTimeout());
        assertEquals("", out.reason());
        assertEquals(
                Arrays.toString(expected),
                Arrays.toString(out.outputs()),
                "seed " + seed + " config " + config + " schedule " + schedule + "\n" + realized);
    }

    /** input -> conv (random geometry and group) -> relu? -> flatten -> gemm: all quantized. */
    private static Graph randomGraph(Random r) {
        int group = r.nextInt(3) == 0 ? 1 + r.nextInt(3) : 1;
        boolean depthwise = r.nextInt(4) == 0;
        // Up to 40 output channels: several channel blocks of 8/16/32 with a partial last one.
        int c = depthwise ? 1 + r.nextInt(24) : group * (1 + r.nextInt(9));
        int oc = depthwise ? c : group * (1 + r.nextInt(r.nextBoolean() ? 20 : 40));
        group = depthwise ? c : group;
        int k = 1 + 2 * r.nextInt(3);
        int h = k + r.nextInt(9);
        int w = k + r.nextInt(12);
        int stride = 1 + r.nextInt(2);
        int pad = r.nextInt(k / 2 + 1);
        int dil = k > 1 && r.nextInt(5) == 0 ? 2 : 1;
        Window2d win = new Window2d(k, k, stride, stride, pad, pad, pad, pad, dil, dil);
        int ho = win.outHeight(h, false);
        int wo = win.outWidth(w, false);
        int classes = 1 + r.nextInt(12);
        List<Node> nodes = new ArrayList<>();
        nodes.add(new Conv2dNode("conv", List.of("x", "w", "b"), "c", win, group));
        String last = "c";
        if (r.nextBoolean()) {
            nodes.add(new ReluNode("relu", List.of("c"), "r"));
            last = "r";
        }
        nodes.add(new FlattenNode("flatten", List.of(last), "f", 1));
        nodes.add(new GemmNode("fc", List.of("f", "fw", "fb"), "y", 1f, 1f, false, true));
        Map<String, Tensor> inits = Map.of(
                "w", Tensor.ofFloats(Shape.of(oc, c / group, k, k), uniform(r.nextLong(), oc * (c / group) * k * k)),
                "b", Tensor.ofFloats(Shape.of(oc), uniform(r.nextLong(), oc)),
                "fw", Tensor.ofFloats(Shape.of(classes, oc * ho * wo), uniform(r.nextLong(), classes * oc * ho * wo)),
                "fb", Tensor.ofFloats(Shape.of(classes), uniform(r.nextLong(), classes)));
        return new Graph(
                "random",
                13,
                List.of(new ValueInfo("x", new TensorType(DType.F32, Shape.of(Shape.DYNAMIC, c, h, w)))),
                List.of(new ValueInfo("y", TensorType.f32())),
                inits,
                nodes,
                Map.of(),
                Set.of());
    }

    /** Random direct-kernel knobs (oc_block, ow_tile) for every QConv and QDense, and dot 16 for half of them. */
    static ScheduleConfig randomSchedule(Graph realized, Target target, Random r) {
        MemoryPlan plan = MemoryPlan.plan(realized);
        ScheduleConfig s = ScheduleConfig.EMPTY;
        for (Node n : realized.nodes()) {
            if (n instanceof QConv2dNode || n instanceof QDenseNode) {
                TensorStorage y = plan.storage().get(n.outputs().get(0));
                for (Knob knob : ConvSchedules.space(
                        y.paddedChannels(), y.width(), target.features().int32Lanes())) {
                    s = s.with(
                            n.name(),
                            knob.name(),
                            knob.candidates().get(r.nextInt(knob.candidates().size())));
                }
                if (r.nextBoolean()) {
                    s = s.with(n.name(), ConvSchedules.DOT, 16);
                }
            }
        }
        return s;
    }

    private static CalibrationStats calibrate(Graph fp32, long seed) {
        int per = fp32.inputs().get(0).type().shape().bind(1).numel();
        int n = 64;
        float[] data = uniform(seed, n * per);
        return new CalibrationStats(
                fp32.name(),
                "uniform-" + seed,
                n,
                StatsCollector.collect(
                        new Fp32Interpreter(fp32),
                        n,
                        (start, count) -> Arrays.copyOfRange(data, start * per, (start + count) * per),
                        1));
    }

    static float[] uniform(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }
}

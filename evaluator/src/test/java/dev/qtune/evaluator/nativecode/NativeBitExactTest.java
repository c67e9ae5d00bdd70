package dev.qtune.evaluator.nativecode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.interp.IntegerInterpreter;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.compiler.quant.QuantizedModel;
import dev.qtune.evaluator.SharedTestCache;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.evaluator.quant.QuantEvaluation;
import dev.qtune.targets.RunMode;
import dev.qtune.targets.Target;
import dev.qtune.targets.Targets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Native code is bit-exact to the Java integer interpreter: for each shared model, each example
 * quant config and each target that runs on this host (by default a Latin square of them and four
 * configs, one per kind of code; every combination with -Pall), the module's outputs on 512 test images
 * (64 under emulation)
 * equal the interpreter's, bit for bit; the generated C compiles without warnings under -Wall
 * -Wextra. Targets this host cannot run are skipped, saying why. A config that leaves layers in
 * fp32 on a target with the fast fp32 kernels (FMA, not the interpreter's order) is held to the
 * mixed-graph tolerance of docs/codegen.md instead ({@link Fp32Islands}).
 */
class NativeBitExactTest {
    private static final int IMAGES = 512;
    /** Under emulation (qemu) a run is ~50x slower: fewer images, the same arithmetic. */
    private static final int EMULATED_IMAGES = 64;

    private static final Map<String, float[]> REFERENCE = new ConcurrentHashMap<>();
    private static final Map<String, Graph> REALIZED = new ConcurrentHashMap<>();

    static final Path cache = SharedTestCache.dir();

    static Stream<Arguments> cases() {
        String[][] models = {
            {"mlp_mnist", "mnist", "mixed_fp32_ends_mlp"},
            {"lenet5_mnist", "mnist", "mixed_fp32_ends"},
            {"resnet8_fashion", "fashion-mnist", "mixed_fp32_ends"}
        };
        // by default one config per kind of code (symmetric, zero points, 4-bit weights, fp32 islands); -Pall: every
        // one
        String[] configs = TestCases.full()
                ? new String[] {
                    "int8_max",
                    "int8_power2",
                    "int8_kl",
                    "int8_percentile",
                    "int8_asym_percentile",
                    "w4a8",
                    "w7a8",
                    null
                }
                : new String[] {"int8_kl", "int8_asym_percentile", "w4a8", null};
        if (TestCases.full()) {
            return NativeTargets.names()
                    .flatMap(t -> Stream.of(models)
                            .flatMap(m ->
                                    Stream.of(configs).map(c -> Arguments.of(t, m[0], m[1], c == null ? m[2] : c))));
        }
        // By default a Latin square over the targets this host runs: each config on each target, each
        // model under each config and each model on each target, every pair at least once (12
        // modules on three targets, not 36). Targets the host cannot run are listed whole, and skip.
        List<String> runs = NativeTargets.names()
                .filter(t -> NativeTargets.HOST.runMode(Targets.byName(t)) != RunMode.NONE)
                .toList();
        List<Arguments> picked = new ArrayList<>();
        int n = Math.max(models.length, runs.size());
        for (int c = 0; c < configs.length; c++) {
            for (int i = 0; i < n && !runs.isEmpty(); i++) {
                String[] m = models[(i + c) % models.length];
                picked.add(Arguments.of(runs.get(i % runs.size()), m[0], m[1], configs[c] == null ? m[2] : configs[c]));
            }
        }
        NativeTargets.names()
                .filter(t -> !runs.contains(t))
                .forEach(t -> Stream.of(models)
                        .forEach(m -> Stream.of(configs)
                                .forEach(c -> picked.add(Arguments.of(t, m[0], m[1], c == null ? m[2] : c)))));
        return picked.stream();
    }

    @ParameterizedTest(name = "{0} {1} {3}")
    @MethodSource("cases")
    void nativeOutputsEqualTheIntegerInterpreter(String targetName, String model, String data, String config) {
        Target target = NativeTargets.runnable(targetName);
        int images = NativeTargets.HOST.runMode(target) == RunMode.NATIVE ? IMAGES : EMULATED_IMAGES;
        String key = model + "/" + config;
        Dataset test = Datasets.load(data, "test");
        Graph realized = REALIZED.computeIfAbsent(key, k -> realize(model, data, config));
        float[] expected = REFERENCE.computeIfAbsent(
                key,
                k -> new IntegerInterpreter(realized)
                        .run(test.batch(0, IMAGES), IMAGES)
                        .floats());
        NativeRun run =
                NativeEvaluation.run(realized, target, ScheduleConfig.EMPTY, test, images, 1, Optional.empty(), cache);
        assertEquals("", run.compiled().warnings(), "compiler warnings for " + key + " on " + targetName);
        float[] actual = run.outputs();
        assertEquals(images * (expected.length / IMAGES), actual.length);
        if (Fp32Islands.fastOn(realized, target)) {
            Fp32Islands.assertClose(Arrays.copyOf(expected, actual.length), actual, images, key + " on " + targetName);
            return;
        }
        int mismatches = 0;
        for (int i = 0; i < actual.length; i++) {
            mismatches += Float.floatToRawIntBits(expected[i]) == Float.floatToRawIntBits(actual[i]) ? 0 : 1;
        }
        assertTrue(
                mismatches == 0,
                mismatches + " of " + actual.length + " outputs differ for " + key + " on " + targetName);
    }

    private static Graph realize(String model, String data, String config) {
        Path file = Path.of("..", "models", model + ".onnx");
        Graph fp32 = PassPipeline.prerequisites().run(OnnxImporter.load(file));
        QuantConfig qc = QuantConfigReader.read(Path.of("..", "experiments", "qconfigs", config + ".yaml"));
        var stats = QuantEvaluation.calibrate(
                model,
                fp32,
                Datasets.load(data, "calibration"),
                qc.calibrationSamples(),
                Runtime.getRuntime().availableProcessors(),
                cache);
        return QuantizedModel.of(fp32, qc, stats.stats()).realized();
    }
}

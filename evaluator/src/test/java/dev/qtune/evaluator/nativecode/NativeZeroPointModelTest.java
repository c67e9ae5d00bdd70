package dev.qtune.evaluator.nativecode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.interp.IntegerInterpreter;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.QAddNode;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.compiler.onnx.QdqExporter;
import dev.qtune.compiler.onnx.QdqImporter;
import dev.qtune.compiler.onnx.QdqSignedness;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.evaluator.SharedTestCache;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.evaluator.quant.ExampleQuantizations;
import dev.qtune.targets.NativeBuild;
import dev.qtune.targets.RunMode;
import dev.qtune.targets.Target;
import dev.qtune.targets.Targets;
import dev.qtune.targets.codegen.CModule;
import dev.qtune.targets.codegen.CModuleEmitter;
import dev.qtune.targets.runner.InferResult;
import dev.qtune.targets.runner.NativeModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real models full of zero points in native code: a shared model quantized by qtune (calibrated on
 * {@value #CALIBRATION} calibration images), exported as QDQ, every 8-bit tensor re-encoded in the
 * other signedness ({@link QdqSignedness#flip}: int8 q as uint8 q + 128 with zero point 128, uint8
 * as int8 q - 128 with zero point -128) and imported stands for the same real values with non-zero
 * zero points in Quantize, every QConv's padding and bias, every requantization, the fused Relu
 * clamps, ResNet's Adds and its global average pool. On every target that runs here, its native
 * outputs on 128 test images (512 with -Pall; 64 under emulation) equal the integer interpreter's bit for bit (and
 * so the symmetric file's, which the interpreter gives too), and the C compiles without warnings;
 * LeNet built with AddressSanitizer and UndefinedBehaviorSanitizer on native targets runs clean on
 * 32 images. A target this host compiles for but cannot run is compiled (no warnings), then
 * skipped. LeNet runs int8_max, whose 8-bit weights take the 16-bit dot on x86; resnet8 runs w7a8,
 * which takes the 8-bit dot (the two paths' padding values differ).
 */
class NativeZeroPointModelTest {
    /**
     * The comparison is exact per image, so 128 images show it as well as 512 (-Pall); the two
     * resnet8 interpreters on 512 images took most of the class's time.
     */
    private static final int IMAGES = TestCases.of(128, 512);

    private static final int EMULATED_IMAGES = 64;
    private static final int SANITIZED_IMAGES = 32;
    private static final int CALIBRATION = 250;
    private static final List<String> SANITIZERS =
            List.of("-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer", "-g");
    private static final Map<String, Graph> IMPORTED = new ConcurrentHashMap<>();
    private static final Map<String, float[]> REFERENCE = new ConcurrentHashMap<>();

    static final Path cache = SharedTestCache.dir();

    static Stream<Arguments> cases() {
        String[][] models = {{"lenet5_mnist", "mnist"}, {"resnet8_fashion", "fashion-mnist"}};
        // LeNet under int8_max (the 16-bit dot on x86), resnet8 under w7a8 (the 8-bit dot on every layer).
        return NativeTargets.names()
                .flatMap(t -> Stream.of(models)
                        .map(m -> Arguments.of(t, m[0], m[1], m[0].startsWith("lenet") ? "int8_max" : "w7a8")));
    }

    @ParameterizedTest(name = "{0} {1} {3}")
    @MethodSource("cases")
    void aModelWithZeroPointsEverywhereIsBitExact(String targetName, String model, String data, String config) {
        Target target = Targets.byName(targetName);
        String key = model + "/" + config;
        Graph shifted = IMPORTED.computeIfAbsent(key, k -> shiftedImport(model, data, config));
        if (NativeTargets.compilesOnly(target)) {
            CModule module = CModuleEmitter.emit(shifted, target, ScheduleConfig.EMPTY);
            assertEquals(
                    "",
                    NativeBuild.build(target, module.sources(), List.of(), cache)
                            .warnings(),
                    "compiler warnings for " + key + " on " + targetName + " (compiled only)");
        }
        NativeTargets.runnable(targetName);
        Dataset test = Datasets.load(data, "test");
        float[] expected = REFERENCE.computeIfAbsent(key, k -> {
            float[] x = test.batch(0, IMAGES);
            float[] reference = new IntegerInterpreter(shifted).run(x, IMAGES).floats();
            Graph symmetric = symmetricImport(model, data, config);
            assertArrayEquals(
                    new IntegerInterpreter(symmetric).run(x, IMAGES).floats(),
                    reference,
                    "the re-encoded file computes what the symmetric one does");
            return reference;
        });
        boolean emulated = NativeTargets.HOST.runMode(target) != RunMode.NATIVE;
        int images = emulated ? EMULATED_IMAGES : IMAGES;
        NativeRun run =
                NativeEvaluation.run(shifted, target, ScheduleConfig.EMPTY, test, images, 1, Optional.empty(), cache);
        assertEquals("", run.compiled().warnings(), "compiler warnings for " + key + " on " + targetName);
        System.out.println(key + " on " + targetName + ": " + run.module().schedule());
        assertBitsEqual(expected, run.outputs(), images, key + " on " + targetName);
        // Sanitized on LeNet only: resnet8's modules take a minute under ASan on one core, and
        // NativeZeroPointTest sanitizes every kernel with zero points already.
        if (!emulated && model.startsWith("lenet")) {
            NativeModel sanitized = NativeModel.build(
                    CModuleEmitter.emit(shifted, target, ScheduleConfig.EMPTY), target, cache, SANITIZERS);
            InferResult r =
                    sanitized.infer(test.batch(0, SANITIZED_IMAGES), SANITIZED_IMAGES, 2, NativeModel.defaultTimeout());
            assertTrue(r.ok(), r.reason());
            assertFalse(
                    r.process().stderr().contains("runtime error"), r.process().stderr());
            assertBitsEqual(expected, r.outputs(), SANITIZED_IMAGES, key + " on " + targetName + ", sanitized");
        }
    }

    private static void assertBitsEqual(float[] expected, float[] actual, int images, String where) {
        int per = expected.length / IMAGES;
        assertEquals(images * per, actual.length, where + ": outputs");
        int mismatches = 0;
        for (int i = 0; i < actual.length; i++) {
            mismatches += Float.floatToRawIntBits(expected[i]) == Float.floatToRawIntBits(actual[i]) ? 0 : 1;
        }
        assertEquals(0, mismatches, mismatches + " of " + actual.length + " outputs differ for " + where);
    }

    /** qtune's QDQ export of the model, marked as another tool's file (so int8 means [-128, 127]). */
    private static ModelProto foreign(String model, String data, String config) {
        var q = ExampleQuantizations.quantize(model, data, config, CALIBRATION, cache);
        return QdqExporter.toProto(q).toBuilder()
                .setProducerName("zero-point-test")
                .build();
    }

    private static Graph symmetricImport(String model, String data, String config) {
        return QdqImporter.parse(foreign(model, data, config).toByteArray(), model + ".qdq")
                .realized();
    }

    private static Graph shiftedImport(String model, String data, String config) {
        ModelProto shifted = QdqSignedness.flip(foreign(model, data, config));
        Graph g =
                QdqImporter.parse(shifted.toByteArray(), model + ".shifted.qdq").realized();
        assertTrue(
                g.nodes().stream().anyMatch(n -> n instanceof QConv2dNode c && c.inputZeroPoint() != 0),
                "QConv with an input zero point in " + model);
        assertTrue(
                g.nodes().stream()
                        .anyMatch(
                                n -> n instanceof QDenseNode d && d.requantize().zeroPoint() != 0),
                "QDense with an output zero point in " + model);
        if (model.startsWith("resnet")) {
            assertTrue(
                    g.nodes().stream()
                            .anyMatch(n -> n instanceof QAddNode a
                                    && a.inputZeroPoints().stream().anyMatch(z -> z != 0)),
                    "Add with input zero points");
        }
        return g;
    }
}

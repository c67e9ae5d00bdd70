package dev.qtune.evaluator.nativecode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.interp.IntegerInterpreter;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.compiler.quant.QuantizedModel;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.evaluator.quant.QuantEvaluation;
import dev.qtune.targets.Target;
import dev.qtune.targets.Targets;
import dev.qtune.targets.codegen.CModule;
import dev.qtune.targets.codegen.CModuleEmitter;
import dev.qtune.targets.runner.BenchResult;
import dev.qtune.targets.runner.InferResult;
import dev.qtune.targets.runner.NativeModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated module that crashes, hangs or writes nothing gives a failed result with its reason
 * within the timeout, never a hung or crashed JVM; a module built with AddressSanitizer and
 * UndefinedBehaviorSanitizer runs clean and still matches the interpreter.
 */
class NativeFailureTest {
    private static final String RUN = "void qt_run(const float *in, float *out) {\n";
    private static final int IMAGES = 32;

    @TempDir
    static Path cache;

    static CModule lenet;
    static Graph realized;
    static Dataset test;

    @BeforeAll
    static void emitLenet() {
        Path file = Path.of("..", "models", "lenet5_mnist.onnx");
        Graph fp32 = PassPipeline.prerequisites().run(OnnxImporter.load(file));
        QuantConfig qc = QuantConfigReader.read(Path.of("..", "experiments", "qconfigs", "int8_max.yaml"));
        var stats = QuantEvaluation.calibrate("lenet5", fp32, Datasets.load("mnist", "calibration"), 200, 2, cache);
        realized = QuantizedModel.of(fp32, qc, stats.stats()).realized();
        lenet = CModuleEmitter.emit(realized, 16, ScheduleConfig.EMPTY);
        test = Datasets.load("mnist", "test");
    }

    private static Target generic() {
        return Targets.byName(Targets.GENERIC_C);
    }

    private static CModule injected(String statement) {
        Map<String, String> sources = new HashMap<>(lenet.sources());
        String model = sources.get(CModuleEmitter.MODEL_FILE);
        assertTrue(model.contains(RUN));
        sources.put(CModuleEmitter.MODEL_FILE, model.replace(RUN, RUN + "    " + statement + "\n"));
        return new CModule(sources, lenet.layers(), lenet.inputSize(), lenet.outputSize(), lenet.schedule());
    }

    private InferResult infer(CModule m, Duration timeout) {
        return NativeModel.build(m, generic(), cache, List.of()).infer(test.batch(0, IMAGES), IMAGES, 1, timeout);
    }

    @Test
    void segfaultIsAFailedResultNamingTheSignal() {
        InferResult r = infer(injected("*(volatile int *) (uintptr_t) in[0] = 1;"), Duration.ofSeconds(60));
        assertFalse(r.ok());
        assertTrue(r.reason().contains("SIGSEGV"), r.reason());
    }

    @Test
    void hangIsKilledAtTheTimeout() {
        long start = System.nanoTime();
        InferResult r = infer(injected("for (volatile int spin = 1; spin;) { }"), Duration.ofSeconds(3));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertFalse(r.ok());
        assertTrue(r.reason().contains("3.0 s"), r.reason());
        assertTrue(seconds < 60, "returned after " + seconds + " s");
    }

    @Test
    void missingOutputIsAFailedResult() {
        InferResult r = infer(injected("exit(0);"), Duration.ofSeconds(60));
        assertFalse(r.ok());
        assertTrue(r.reason().contains("output"), r.reason());
    }

    @Test
    void garbledBenchOutputIsAFailedResult() {
        NativeModel m = NativeModel.build(injected("puts(\"not json\");"), generic(), cache, List.of());
        BenchResult b = m.bench(1, 0.01, false, Duration.ofSeconds(60));
        assertFalse(b.ok());
        assertTrue(b.reason().contains("malformed"), b.reason());
    }

    @Test
    void sanitizedBuildRunsCleanAndMatchesTheInterpreter() {
        NativeModel m = NativeModel.build(
                lenet,
                generic(),
                cache,
                List.of("-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer", "-g"));
        float[] x = test.batch(0, IMAGES);
        InferResult r = m.infer(x, IMAGES, 2, Duration.ofSeconds(120));
        assertTrue(r.ok(), r.reason());
        assertFalse(r.process().stderr().contains("runtime error"), r.process().stderr());
        assertArrayEquals(new IntegerInterpreter(realized).run(x, IMAGES).floats(), r.outputs());
    }
}

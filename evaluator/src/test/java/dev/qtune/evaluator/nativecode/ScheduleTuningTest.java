package dev.qtune.evaluator.nativecode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.compiler.quant.QuantizedModel;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.evaluator.quant.QuantEvaluation;
import dev.qtune.targets.Target;
import dev.qtune.targets.Targets;
import dev.qtune.targets.codegen.CModule;
import dev.qtune.targets.codegen.CModuleEmitter;
import dev.qtune.targets.codegen.LayerTask;
import dev.qtune.targets.codegen.TuningLog;
import dev.qtune.targets.runner.ScheduleTuner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tuning log: a module gives a layer its task's logged schedule where the config sets none,
 * and the config's own schedule where it does; the tuner measures every candidate of every
 * untuned task, logs one entry per task, and tunes nothing twice. On mlp_mnist (three dense
 * layers) for generic-c, which every host runs.
 */
class ScheduleTuningTest {
    @TempDir
    static Path cache;

    static Graph realized;
    static Target target;

    @BeforeAll
    static void realize() {
        Graph fp32 = PassPipeline.prerequisites().run(OnnxImporter.load(Path.of("..", "models", "mlp_mnist.onnx")));
        QuantConfig qc = QuantConfigReader.read(Path.of("..", "experiments", "qconfigs", "int8_kl.yaml"));
        var stats = QuantEvaluation.calibrate("mlp", fp32, Datasets.load("mnist", "calibration"), 100, 2, cache);
        realized = QuantizedModel.of(fp32, qc, stats.stats()).realized();
        target = Targets.byName(Targets.GENERIC_C);
    }

    @Test
    void aLoggedScheduleIsUsedWhereTheConfigSetsNone() {
        CModule plain = CModuleEmitter.emit(realized, target, ScheduleConfig.EMPTY, TuningLog.NONE);
        assertEquals(
                3,
                plain.tasks().size(),
                "one task per dense layer: " + plain.tasks().keySet());
        String layer = plain.tasks().keySet().iterator().next();
        LayerTask task = plain.tasks().get(layer);
        Map<String, Integer> used = plain.schedule().layers().get(layer);
        assertTrue(task.candidates().contains(used), "the default is a candidate");
        Map<String, Integer> other = task.candidates().stream()
                .filter(c -> !c.equals(used))
                .findFirst()
                .orElseThrow();

        TuningLog log = TuningLog.load(cache.resolve("a"), target)
                .append(List.of(new TuningLog.Entry(task.key(), other, 0.001, 0.002, 1)));
        assertEquals(
                other,
                TuningLog.load(cache.resolve("a"), target).best(task.key()).orElseThrow(),
                "read back");
        assertEquals(
                other,
                CModuleEmitter.emit(realized, target, ScheduleConfig.EMPTY, log)
                        .schedule()
                        .layers()
                        .get(layer),
                "the logged schedule");
        ScheduleConfig explicit = new ScheduleConfig(Map.of(layer, used));
        assertEquals(
                used,
                CModuleEmitter.emit(realized, target, explicit, log)
                        .schedule()
                        .layers()
                        .get(layer),
                "the config's own schedule wins");
    }

    @Test
    void aLaterLineReplacesAnEarlierOneAndABrokenLineIsSkipped() throws Exception {
        Path dir = cache.resolve("b");
        TuningLog.load(dir, target).append(List.of(new TuningLog.Entry("t", Map.of("oc_block", 4), 1, 2, 1)));
        Files.writeString(TuningLog.file(dir, target), "not\ta line\n", StandardOpenOption.APPEND);
        TuningLog.load(dir, target).append(List.of(new TuningLog.Entry("t", Map.of("oc_block", 8), 1, 2, 1)));
        TuningLog log = TuningLog.load(dir, target);
        assertEquals(Map.of("oc_block", 8), log.best("t").orElseThrow());
        assertEquals(1, log.entries().size());
    }

    @Test
    void theTunerLogsEveryUntunedTaskOnce() {
        Path dir = cache.resolve("c");
        List<String> progress = new ArrayList<>();
        ScheduleTuner.Result r =
                ScheduleTuner.tune(realized, target, dir, TuningLog.load(dir, target), 1, 0.02, 1, progress::add);
        CModule plain = CModuleEmitter.emit(realized, target, ScheduleConfig.EMPTY, TuningLog.NONE);
        int most = plain.tasks().values().stream()
                .mapToInt(t -> t.candidates().size())
                .max()
                .orElseThrow();
        assertEquals(most, r.builds(), "one timed build per candidate index");
        assertEquals(plain.tasks().size(), r.entries().size());
        for (TuningLog.Entry e : r.entries()) {
            assertTrue(e.bestMs() > 0 && e.bestMs() <= e.defaultMs(), "the winner is no slower than the default: " + e);
        }
        TuningLog log = TuningLog.load(dir, target);
        plain.tasks().values().forEach(t -> assertTrue(log.has(t.key()), t.key()));
        assertFalse(progress.isEmpty());
        ScheduleTuner.Result again = ScheduleTuner.tune(realized, target, dir, log, 1, 0.02, 1, progress::add);
        assertEquals(0, again.builds(), "nothing is tuned twice");
        assertNotEquals(0, r.seconds());
    }
}

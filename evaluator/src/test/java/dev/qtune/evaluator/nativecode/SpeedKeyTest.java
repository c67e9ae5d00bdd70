package dev.qtune.evaluator.nativecode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.CalibrationStats;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.compiler.quant.QuantizedModel;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.evaluator.quant.QuantEvaluation;
import dev.qtune.targets.Target;
import dev.qtune.targets.Targets;
import dev.qtune.targets.codegen.CModule;
import dev.qtune.targets.codegen.CModuleEmitter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module's speed key names the code it runs, not its constants: configs that differ only in
 * calibration or weight bits (other scales, multipliers and weights for the same kernels) share
 * it; another schedule or an fp32 layer does not. On lenet5_mnist for the VNNI kernels (the
 * code is generated, not run, so any host checks it).
 */
class SpeedKeyTest {
    @TempDir
    static Path cache;

    static Graph fp32;
    static CalibrationStats stats;
    static final Target TARGET = Targets.byName("x86-avx512-vnni");

    @BeforeAll
    static void calibrate() {
        fp32 = PassPipeline.prerequisites().run(OnnxImporter.load(Path.of("..", "models", "lenet5_mnist.onnx")));
        stats = QuantEvaluation.calibrate("lenet5", fp32, Datasets.load("mnist", "calibration"), 200, 2, cache)
                .stats();
    }

    private static CModule module(String config, ScheduleConfig schedule) {
        QuantConfig qc = QuantConfigReader.read(Path.of("..", "experiments", "qconfigs", config + ".yaml"));
        return CModuleEmitter.emit(QuantizedModel.of(fp32, qc, stats).realized(), TARGET, schedule);
    }

    @Test
    void constantsShareTheKeyAndCodeDoesNot() {
        CModule kl = module("int8_kl", ScheduleConfig.EMPTY);
        CModule max = module("int8_max", ScheduleConfig.EMPTY);
        CModule w7 = module("w7a8", ScheduleConfig.EMPTY);
        assertNotEquals(kl.modelSource(), max.modelSource(), "other constants");
        assertEquals(kl.speedKey(), max.speedKey(), "another calibration runs the same code");
        assertEquals(kl.speedKey(), w7.speedKey(), "7-bit weights run the 8-bit kernels (vpdpbusd is exact for both)");

        String layer = kl.tasks().keySet().iterator().next();
        Map<String, Integer> used = kl.schedule().layers().get(layer);
        Map<String, Integer> other = kl.tasks().get(layer).candidates().stream()
                .filter(c -> !c.equals(used))
                .findFirst()
                .orElseThrow();
        assertNotEquals(
                kl.speedKey(),
                module("int8_kl", new ScheduleConfig(Map.of(layer, other))).speedKey(),
                "another schedule is other code");
        assertNotEquals(
                kl.speedKey(),
                module("mixed_fp32_ends", ScheduleConfig.EMPTY).speedKey(),
                "fp32 layers are other code");
    }
}

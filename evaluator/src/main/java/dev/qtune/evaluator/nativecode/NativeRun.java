package dev.qtune.evaluator.nativecode;

import dev.qtune.evaluator.accuracy.AccuracyResult;
import dev.qtune.targets.CompiledModule;
import dev.qtune.targets.Target;
import dev.qtune.targets.codegen.CModule;
import dev.qtune.targets.runner.BenchResult;
import java.util.Optional;

/** One model evaluated natively: accuracy from the module's own predictions, its build, and its latency when measured. */
public record NativeRun(
        Target target,
        CModule module,
        CompiledModule compiled,
        AccuracyResult accuracy,
        float[] outputs,
        Optional<BenchResult> bench) {}

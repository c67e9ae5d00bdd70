package dev.qtune.evaluator.nativecode;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.evaluator.accuracy.AccuracyResult;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.targets.Target;
import dev.qtune.targets.codegen.CModule;
import dev.qtune.targets.codegen.CModuleEmitter;
import dev.qtune.targets.codegen.TuningLog;
import dev.qtune.targets.runner.BenchResult;
import dev.qtune.targets.runner.InferResult;
import dev.qtune.targets.runner.NativeModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates a graph (realized integer, or fp32) as native code: generate the C module, build it
 * for the target (cached), run the samples through the module in a child process, and optionally
 * benchmark its latency. A failing module (crash, hang, bad output) raises a QtuneException with
 * the runner's reason; callers that must not stop (a search) turn it into a FAILED trial.
 */
public final class NativeEvaluation {
    private static final Logger LOG = LoggerFactory.getLogger(NativeEvaluation.class);

    private NativeEvaluation() {}

    /** Latency measurement settings. */
    public record BenchOptions(int threads, double minSeconds, boolean layers) {}

    public static NativeRun run(
            Graph graph,
            Target target,
            ScheduleConfig schedule,
            Dataset eval,
            int limit,
            int threads,
            Optional<BenchOptions> bench,
            Path cacheDir) {
        // layers the schedule leaves open take this host's tuned schedules (qtune tune), where there are any
        CModule module = CModuleEmitter.emit(graph, target, schedule, TuningLog.load(cacheDir, target));
        NativeModel model = NativeModel.build(module, target, cacheDir, List.of());
        LOG.info(
                "{}: module for {} {} in {} s",
                graph.name(),
                target.name(),
                model.compiled().cacheHit() ? "from the cache" : "compiled",
                model.compiled().compileSeconds());
        int n = limit > 0 ? Math.min(limit, eval.count()) : eval.count();
        long start = System.nanoTime();
        InferResult r = model.infer(eval.batch(0, n), n, threads, NativeModel.defaultTimeout());
        if (!r.ok()) {
            throw new QtuneException("native module for " + target.name() + " failed: " + r.reason());
        }
        int correct = 0;
        for (int i = 0; i < n; i++) {
            correct += r.predictions()[i] == eval.label(i) ? 1 : 0;
        }
        AccuracyResult accuracy = new AccuracyResult(n, correct, (System.nanoTime() - start) / 1e9, r.predictions());
        Optional<BenchResult> latency = bench.map(b -> {
            BenchResult br = model.bench(b.threads(), b.minSeconds(), b.layers(), NativeModel.defaultTimeout());
            if (!br.ok()) {
                throw new QtuneException("native benchmark for " + target.name() + " failed: " + br.reason());
            }
            return br;
        });
        return new NativeRun(target, module, model.compiled(), accuracy, r.outputs(), latency);
    }
}

package dev.qtune.experiments.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.compiler.quant.QuantConfigFile;
import dev.qtune.evaluator.calibration.CalibrationCache;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.nativecode.NativeEvaluation;
import dev.qtune.evaluator.nativecode.NativeRun;
import dev.qtune.targets.HostCpu;
import dev.qtune.targets.RunMode;
import dev.qtune.targets.Target;
import dev.qtune.targets.Targets;
import dev.qtune.targets.runner.BenchResult;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;

/** The native path of `qtune eval --target T [--bench]`: target checks, the run, and its JSON keys. */
final class NativeEval {
    private final Target target;
    private final int threads;
    private final Optional<NativeEvaluation.BenchOptions> bench;

    private NativeEval(Target target, int threads, Optional<NativeEvaluation.BenchOptions> bench) {
        this.target = target;
        this.threads = threads;
        this.bench = bench;
    }

    /** Validates the target for this host: it must run here, natively when latency is asked for. */
    static NativeEval of(
            CommandLine cmd, String name, int threads, boolean bench, double benchSeconds, boolean layers) {
        Target t;
        try {
            t = Targets.byName(name);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, "--target: " + e.getMessage());
        }
        HostCpu host = HostCpu.detect();
        RunMode mode = host.runMode(t);
        if (mode == RunMode.NONE) {
            throw new CommandLine.ParameterException(
                    cmd, "--target " + name + " does not run on this host: " + host.whyNot(t));
        }
        if (bench && mode != RunMode.NATIVE) {
            throw new CommandLine.ParameterException(
                    cmd, "--bench needs a target that runs natively; " + name + " is emulated here (correctness only)");
        }
        return new NativeEval(
                t,
                threads,
                bench
                        ? Optional.of(new NativeEvaluation.BenchOptions(threads, benchSeconds, layers))
                        : Optional.empty());
    }

    NativeRun run(Graph graph, Dataset eval, int limit) {
        return NativeEvaluation.run(
                graph, target, ScheduleConfig.EMPTY, eval, limit, threads, bench, CalibrationCache.defaultDir());
    }

    /** The run of a quantized graph with the schedule of its config file (docs/config.md, "Schedule"). */
    NativeRun run(Graph graph, QuantConfigFile config, Path file, Dataset eval, int limit) {
        ScheduleConfig schedule = ConfigSchedule.forTarget(config, file, target);
        return ConfigSchedule.generate(
                config,
                file,
                () -> NativeEvaluation.run(
                        graph, target, schedule, eval, limit, threads, bench, CalibrationCache.defaultDir()),
                NativeRun::module);
    }

    Target target() {
        return target;
    }

    /** Adds target, threads, compile_seconds, compile_cache_hit and (with --bench) latency_ms to an eval JSON object. */
    static void addJson(ObjectNode o, NativeRun r) {
        o.put("target", r.target().name());
        o.put("compile_seconds", Json.seconds(r.compiled().compileSeconds()));
        o.put("compile_cache_hit", r.compiled().cacheHit());
        r.bench().ifPresent(b -> {
            o.put("threads", b.threads());
            ObjectNode l = o.putObject("latency_ms");
            l.put("median", round(b.medianMs()));
            l.put("p10", round(b.p10Ms()));
            l.put("p90", round(b.p90Ms()));
            l.put("runs", b.runs());
            if (!b.layers().isEmpty()) {
                var layers = o.putArray("layer_latency_ms");
                for (BenchResult.LayerTime t : b.layers()) {
                    layers.addObject().put("name", t.name()).put("ms", round(t.ms()));
                }
            }
        });
    }

    static String summary(NativeRun r) {
        String s = String.format(
                "native %s (compiled in %.1f s%s)",
                r.target().name(), r.compiled().compileSeconds(), r.compiled().cacheHit() ? ", from the cache" : "");
        return r.bench()
                .map(b -> s
                        + String.format(
                                ", latency median %.3f ms (p10 %.3f, p90 %.3f) at %d thread%s",
                                b.medianMs(), b.p10Ms(), b.p90Ms(), b.threads(), b.threads() == 1 ? "" : "s"))
                .orElse(s);
    }

    private static double round(double ms) {
        return Math.round(ms * 1e4) / 1e4;
    }
}

package dev.qtune.targets.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qtune.targets.CompiledModule;
import dev.qtune.targets.FileTrees;
import dev.qtune.targets.HostCpu;
import dev.qtune.targets.HostLock;
import dev.qtune.targets.NativeBuild;
import dev.qtune.targets.NativeProcess;
import dev.qtune.targets.ProcessResult;
import dev.qtune.targets.Target;
import dev.qtune.targets.codegen.CModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A generated module built for a target, run in a child process by our runner harness
 * (qtune_runner.c): {@code infer} for outputs on a set of samples, {@code bench} for latency. A
 * crash, a hang (killed at the timeout) or malformed output is a failed result with its reason;
 * benchmarks on one host never overlap (a host-wide lock).
 */
public final class NativeModel {
    /** System property: timeout in seconds of one native run (default 300). */
    public static final String TIMEOUT_PROPERTY = "qtune.native.timeout";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CModule module;
    private final Target target;
    private final CompiledModule compiled;
    private final List<String> launcher;
    private final Path cacheDir;

    private NativeModel(CModule module, Target target, CompiledModule compiled, List<String> launcher, Path cacheDir) {
        this.module = module;
        this.target = target;
        this.compiled = compiled;
        this.launcher = launcher;
        this.cacheDir = cacheDir;
    }

    /** Builds (or takes from the cache) the module for the target; the target must run on this host. */
    public static NativeModel build(CModule module, Target target, Path cacheDir, List<String> extraFlags) {
        List<String> launcher = HostCpu.detect().launcher(target);
        CompiledModule compiled = NativeBuild.build(target, module.sources(), extraFlags, cacheDir);
        return new NativeModel(module, target, compiled, launcher, cacheDir);
    }

    public CModule module() {
        return module;
    }

    public Target target() {
        return target;
    }

    public CompiledModule compiled() {
        return compiled;
    }

    public static Duration defaultTimeout() {
        return Duration.ofSeconds(Long.getLong(TIMEOUT_PROPERTY, 300));
    }

    /** Runs {@code count} samples of {@code inputSize} floats each (row-major in {@code inputs}). */
    public InferResult infer(float[] inputs, int count, int threads, Duration timeout) {
        if (inputs.length != (long) count * module.inputSize()) {
            throw new IllegalArgumentException(
                    "inputs must hold " + count + " x " + module.inputSize() + " floats, but hold " + inputs.length);
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("qtune-infer");
            Path in = dir.resolve("in.bin");
            Path out = dir.resolve("out.bin");
            Files.write(in, RunnerFiles.inputs(inputs, count, module.inputSize()));
            ProcessResult p = NativeProcess.run(
                    command("infer", in.toString(), out.toString(), "--threads", Integer.toString(threads)),
                    timeout,
                    dir,
                    Map.of());
            if (!p.ok()) {
                return InferResult.failed(p.reason(), p);
            }
            if (!Files.isRegularFile(out)) {
                return InferResult.failed("the module exited without writing its output file", p);
            }
            return RunnerFiles.outputs(Files.readAllBytes(out), count, module.outputSize(), p);
        } catch (IOException e) {
            throw new UncheckedIOException("native inference files in " + dir, e);
        } finally {
            FileTrees.deleteQuietly(dir);
        }
    }

    /** Benchmarks batch-1 latency under the host-wide benchmark lock. */
    public BenchResult bench(int threads, double minSeconds, boolean layers, Duration timeout) {
        List<String> args = new ArrayList<>(
                List.of("bench", "--threads", Integer.toString(threads), "--min-seconds", Double.toString(minSeconds)));
        if (layers) {
            args.add("--layers");
        }
        ProcessResult p;
        try (HostLock lock = HostLock.acquire(HostLock.lockFileIn(cacheDir))) {
            p = NativeProcess.run(command(args.toArray(String[]::new)), timeout, null, Map.of());
        }
        if (!p.ok()) {
            return BenchResult.failed(p.reason(), p);
        }
        return parseBench(p);
    }

    private List<String> command(String... args) {
        List<String> c = new ArrayList<>(launcher);
        c.add(compiled.executable().toString());
        c.addAll(List.of(args));
        return c;
    }

    static BenchResult parseBench(ProcessResult p) {
        try {
            String line = p.stdout().strip();
            JsonNode j = JSON.readTree(line);
            if (j == null || !j.has("median_ms")) {
                return BenchResult.failed("malformed bench output: '" + abbreviate(line) + "'", p);
            }
            List<BenchResult.LayerTime> layers = new ArrayList<>();
            for (JsonNode l : j.path("layers")) {
                layers.add(new BenchResult.LayerTime(
                        l.path("name").asText(), l.path("ms").asDouble()));
            }
            return new BenchResult(
                    true,
                    "",
                    j.path("runs").asInt(),
                    j.path("threads").asInt(),
                    j.path("median_ms").asDouble(),
                    j.path("p10_ms").asDouble(),
                    j.path("p90_ms").asDouble(),
                    layers,
                    p);
        } catch (IOException e) {
            return BenchResult.failed("malformed bench output: '" + abbreviate(p.stdout()) + "'", p);
        }
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}

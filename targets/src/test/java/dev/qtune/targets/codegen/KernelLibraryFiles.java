package dev.qtune.targets.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.targets.HostCpu;
import dev.qtune.targets.NativeProcess;
import dev.qtune.targets.ProcessResult;
import dev.qtune.targets.Target;
import dev.qtune.targets.Toolchain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * What the tests that compile C against the kernel library share: writing it out, building and
 * running a test program with a target's flags, and skipping a target aloud.
 */
final class KernelLibraryFiles {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private KernelLibraryFiles() {}

    /** Writes every file of the kernel library into {@code dir}. */
    static void write(Path dir) throws IOException {
        for (String file : CModuleEmitter.LIBRARY) {
            Files.writeString(dir.resolve(file), CModuleEmitter.resource(file), StandardCharsets.UTF_8);
        }
    }

    /** Compiles {@code dir/source} with the target's flags into {@code dir/exe} (asserting it builds); returns the executable. */
    static Path compile(Toolchain tc, Target t, Path dir, String source, String exe) {
        Path out = dir.resolve(exe);
        List<String> cmd = new ArrayList<>();
        cmd.add(tc.executable().toString());
        cmd.addAll(t.compilerFlags());
        cmd.addAll(List.of(
                "-I", dir.toString(), "-o", out.toString(), dir.resolve(source).toString(), "-lm"));
        ProcessResult built = NativeProcess.run(cmd, TIMEOUT, dir, Map.of());
        assertTrue(built.ok(), source + " for " + t.name() + ": " + built.reason() + "\n" + built.stderr());
        return out;
    }

    /** Runs {@code exe} through the host's launcher for the target, one OpenMP thread (asserting it exits 0). */
    static ProcessResult run(HostCpu host, Target t, Path exe) {
        List<String> run = new ArrayList<>(host.launcher(t));
        run.add(exe.toString());
        ProcessResult r = NativeProcess.run(run, TIMEOUT, exe.getParent(), Map.of("OMP_NUM_THREADS", "1"));
        assertTrue(r.ok(), exe.getFileName() + " for " + t.name() + ": " + r.reason());
        return r;
    }

    /** Skips the test unless {@code ok}, printing "SKIPPED target T: why" so a run says what it did not check. */
    static void skipUnless(boolean ok, Target t, String why) {
        Assumptions.assumeTrue(ok, () -> {
            String msg = "SKIPPED target " + t.name() + ": " + why;
            System.err.println(msg);
            return msg;
        });
    }
}

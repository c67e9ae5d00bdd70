package dev.qtune.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeProcessTest {
    static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    @TempDir
    static Path cache;

    @BeforeAll
    static void needsACompiler() {
        assumeTrue(
                Toolchain.find(Targets.byName("generic-c")).isPresent(),
                "no C compiler for generic-c: gcc not on PATH");
    }

    @Test
    void exitZeroIsOk() {
        Path exe = TestPrograms.build(cache, "chatty", TestPrograms.CHATTY);
        ProcessResult r = NativeProcess.run(List.of(exe.toString(), "0"), TEN_SECONDS, null, Map.of());
        assertEquals(ProcessResult.Status.OK, r.status());
        assertEquals(0, r.exitCode());
        assertEquals("", r.reason());
        assertTrue(r.ok());
    }

    @Test
    void aNonZeroExitFailsWithTheLastStderrLine() {
        Path exe = TestPrograms.build(cache, "exit3", TestPrograms.EXIT_WITH_STDERR);
        ProcessResult r = NativeProcess.run(List.of(exe.toString()), TEN_SECONDS, null, Map.of());
        assertEquals(ProcessResult.Status.FAILED, r.status());
        assertEquals(3, r.exitCode());
        assertEquals("exit code 3; stderr: something went wrong", r.reason());
    }

    @Test
    void aSegfaultFailsNamingTheSignal() {
        Path exe = TestPrograms.build(cache, "segv", TestPrograms.SEGFAULT);
        ProcessResult r = NativeProcess.run(List.of(exe.toString()), TEN_SECONDS, null, Map.of());
        assertEquals(ProcessResult.Status.FAILED, r.status());
        assertEquals(139, r.exitCode());
        assertEquals("killed by signal 11 (SIGSEGV); stderr: about to crash", r.reason());
    }

    @Test
    void anEndlessLoopTimesOutAndIsKilled() {
        Path exe = TestPrograms.build(cache, "endless", TestPrograms.ENDLESS);
        long start = System.nanoTime();
        ProcessResult r = NativeProcess.run(List.of(exe.toString()), Duration.ofSeconds(2), null, Map.of());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(ProcessResult.Status.TIMEOUT, r.status());
        assertEquals("no result within 2.0 s; killed", r.reason());
        assertTrue(seconds >= 2 && seconds < 2 + 8, "returned after " + seconds + " s");
    }

    @Test
    void descendantsAreKilledOnTimeout() {
        Path sh = Path.of("/bin/sh");
        assumeTrue(Files.isExecutable(sh), "no /bin/sh to start a grandchild with");
        // The shell starts a grandchild, prints its pid, then waits for it.
        ProcessResult r = NativeProcess.run(
                List.of(sh.toString(), "-c", "sleep 60 & echo $!; wait"), Duration.ofSeconds(1), null, Map.of());
        assertEquals(ProcessResult.Status.TIMEOUT, r.status());
        long grandchild = Long.parseLong(r.stdout().strip());
        assertFalse(
                ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false),
                "grandchild " + grandchild + " still alive");
    }

    @Test
    void tenMegabytesOfOutputDoNotDeadlock() {
        Path exe = TestPrograms.build(cache, "chatty", TestPrograms.CHATTY);
        ProcessResult r = NativeProcess.run(List.of(exe.toString(), "10"), Duration.ofSeconds(30), null, Map.of());
        assertEquals(ProcessResult.Status.OK, r.status(), r.reason());
        assertEquals(10 * 1024 * 1024, r.stdout().length());
        assertEquals(1024 * 1024, r.stderr().length());
    }

    @Test
    void stdinWorkDirAndEnvironmentReachTheChild(@TempDir Path work) throws Exception {
        Path sh = Path.of("/bin/sh");
        assumeTrue(Files.isExecutable(sh), "no /bin/sh");
        ProcessResult r = NativeProcess.run(
                List.of(sh.toString(), "-c", "pwd; echo $QTUNE_TEST_VAR; cat"),
                TEN_SECONDS,
                work,
                Map.of("QTUNE_TEST_VAR", "hello"),
                "from stdin".getBytes(StandardCharsets.UTF_8));
        assertTrue(r.ok(), r.reason());
        assertEquals(
                work.toRealPath().toString() + "\nhello\nfrom stdin", r.stdout().strip());
    }

    @Test
    void aProgramThatCannotStartThrowsNamingIt() {
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class,
                () -> NativeProcess.run(List.of("/no/such/qtune-program"), TEN_SECONDS, null, Map.of()));
        assertTrue(e.getMessage().startsWith("cannot start /no/such/qtune-program"), e.getMessage());
    }

    @Test
    void anInterruptedCallerKillsTheChildAndSaysSo() throws Exception {
        Path exe = TestPrograms.build(cache, "endless", TestPrograms.ENDLESS);
        ProcessResult[] result = new ProcessResult[1];
        Thread caller = new Thread(
                () -> result[0] = NativeProcess.run(List.of(exe.toString()), Duration.ofSeconds(60), null, Map.of()));
        caller.start();
        caller.interrupt();
        caller.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(caller.isAlive());
        assertEquals(ProcessResult.Status.FAILED, result[0].status());
        assertTrue(result[0].reason().startsWith("interrupted after "), result[0].reason());
    }

    @Test
    void signalsHaveNames() {
        assertEquals("killed by signal 11 (SIGSEGV)", Signals.describe(11));
        assertTrue(Signals.describe(4).startsWith("killed by signal 4 (SIGILL): an instruction this CPU lacks"));
        assertEquals("SIGABRT", Signals.name(6));
    }
}

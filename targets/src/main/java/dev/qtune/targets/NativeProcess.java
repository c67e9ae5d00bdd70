package dev.qtune.targets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a program in a child process: an argument array (never a shell), stdout and stderr drained
 * concurrently (so a chatty child cannot block on a full pipe), and the child and its descendants
 * killed when the timeout passes. A crash, a non-zero exit or a hang is a {@link ProcessResult},
 * never an exception; only a program that cannot be started at all throws.
 */
public final class NativeProcess {
    /** Output kept per stream; more is read (so the child never blocks) and dropped. */
    static final int MAX_CAPTURE_BYTES = 64 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(NativeProcess.class);
    private static final long DRAIN_GRACE_MS = 5_000;

    private NativeProcess() {}

    /** Runs the command with no standard input (the child reads end-of-file). */
    public static ProcessResult run(List<String> command, Duration timeout, Path workDir, Map<String, String> env) {
        return run(command, timeout, workDir, env, new byte[0]);
    }

    /**
     * Runs the command, feeding it {@code stdin}.
     *
     * @param workDir the child's working directory; null for this JVM's
     * @param env     variables added to (or replacing those of) this JVM's environment; may be empty
     * @throws UncheckedIOException when the program cannot be started (no such file, not executable)
     */
    public static ProcessResult run(
            List<String> command, Duration timeout, Path workDir, Map<String, String> env, byte[] stdin) {
        checkArguments(command, timeout);
        long start = System.nanoTime();
        Process p = start(command, workDir, env);
        String name = "qtune-child-" + p.pid();
        Drain out = Drain.start(p.getInputStream(), name + "-stdout");
        Drain err = Drain.start(p.getErrorStream(), name + "-stderr");
        Thread feeder = feed(p.getOutputStream(), stdin, name + "-stdin");
        boolean finished = waitFor(p, timeout);
        boolean interrupted = Thread.currentThread().isInterrupted();
        if (!finished) {
            killTree(p);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String stdout = out.finish(DRAIN_GRACE_MS);
        String stderr = err.finish(DRAIN_GRACE_MS);
        feeder.interrupt();
        int code = p.isAlive() ? -1 : p.exitValue();
        ProcessResult r = interrupted && !finished
                ? new ProcessResult(
                        ProcessResult.Status.FAILED,
                        code,
                        stdout,
                        stderr,
                        seconds,
                        String.format(Locale.ROOT, "interrupted after %.1f s; killed", seconds))
                : classify(finished, code, stdout, stderr, seconds, timeout);
        LOG.debug(
                "{} -> {} (exit {}) in {} s{}",
                command.get(0),
                r.status(),
                code,
                String.format(Locale.ROOT, "%.3f", seconds),
                r.reason().isEmpty() ? "" : ": " + r.reason());
        return r;
    }

    private static void checkArguments(List<String> command, Duration timeout) {
        Objects.requireNonNull(command, "command");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must name a program, but was empty");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, but was " + timeout);
        }
    }

    private static Process start(List<String> command, Path workDir, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        if (env != null) {
            pb.environment().putAll(env);
        }
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start " + command.get(0) + (workDir == null ? "" : " in " + workDir) + ": "
                            + e.getMessage(),
                    e);
        }
    }

    static ProcessResult classify(
            boolean finished, int code, String stdout, String stderr, double seconds, Duration timeout) {
        if (!finished) {
            String reason = String.format(Locale.ROOT, "no result within %.1f s; killed", timeout.toMillis() / 1000.0);
            return new ProcessResult(ProcessResult.Status.TIMEOUT, code, stdout, stderr, seconds, reason);
        }
        if (code == 0) {
            return new ProcessResult(ProcessResult.Status.OK, 0, stdout, stderr, seconds, "");
        }
        String reason = code > 128 && code < 128 + 65 ? Signals.describe(code - 128) : "exit code " + code;
        String last = lastLine(stderr);
        return new ProcessResult(
                ProcessResult.Status.FAILED,
                code,
                stdout,
                stderr,
                seconds,
                last.isEmpty() ? reason : reason + "; stderr: " + last);
    }

    static String lastLine(String text) {
        String t = text.strip();
        int nl = t.lastIndexOf('\n');
        String line = (nl < 0 ? t : t.substring(nl + 1)).strip();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static boolean waitFor(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // Restore the flag; the caller kills the child, keeping the promise of never leaving one behind.
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Kills the descendants first (they would be re-parented, and lost, once the child is gone), then the child. */
    static void killTree(Process p) {
        List<ProcessHandle> descendants = p.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                LOG.warn("child {} did not die within 10 s of SIGKILL", p.pid());
            }
            for (ProcessHandle d : descendants) {
                d.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("a descendant of child {} did not die within 10 s of SIGKILL", p.pid());
        }
    }

    private static Thread feed(OutputStream in, byte[] data, String name) {
        Thread t = new Thread(
                () -> {
                    try (in) {
                        in.write(data);
                    } catch (IOException e) {
                        // the child closed its stdin or exited early: what it did not read does not matter
                    }
                },
                name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Reads one stream to its end on its own thread, keeping the first {@link #MAX_CAPTURE_BYTES}. */
    private static final class Drain implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private long dropped;
        private Thread thread;

        private Drain(InputStream in) {
            this.in = in;
        }

        static Drain start(InputStream in, String name) {
            Drain d = new Drain(in);
            d.thread = new Thread(d, name);
            d.thread.setDaemon(true);
            d.thread.start();
            return d;
        }

        @Override
        public void run() {
            byte[] buf = new byte[64 * 1024];
            try (in) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (this) {
                        int keep = (int) Math.min(n, MAX_CAPTURE_BYTES - kept.size());
                        kept.write(buf, 0, keep);
                        dropped += n - keep;
                    }
                }
            } catch (IOException e) {
                // the pipe was closed under us: keep what was read
            }
        }

        /** What was read, once the stream ended (or after the grace period, if a grandchild still holds it open). */
        String finish(long graceMillis) {
            try {
                thread.join(graceMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.debug("{} still open after the child ended; using what was read so far", thread.getName());
            }
            synchronized (this) {
                String s = kept.toString(StandardCharsets.UTF_8);
                return dropped == 0 ? s : s + "\n[qtune: " + dropped + " more bytes dropped]";
            }
        }
    }
}

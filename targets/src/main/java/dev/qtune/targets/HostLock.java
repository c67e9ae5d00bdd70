package dev.qtune.targets;

import dev.qtune.compiler.QtuneException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host-wide exclusive lock, so that benchmark runs of several JVMs (and several threads of one
 * JVM) on one host never overlap. Across processes it is an OS file lock on the lock file; within
 * this JVM, where a second {@link FileChannel#lock()} on the same file would throw
 * OverlappingFileLockException, a fair {@link ReentrantLock} per lock file queues the threads first.
 *
 * <pre>{@code try (HostLock lock = HostLock.acquire(HostLock.lockFileIn(cacheDir))) { ... measure ... }}</pre>
 *
 * <p>The lock file lives in the user's private cache folder (mode 0600, never through a symbolic
 * link); the wait is bounded, and a timeout names the PID of the holder.
 *
 * <p>Not reentrant: a thread that holds the lock and asks again gets an IllegalStateException
 * rather than a deadlock. Close it on the thread that acquired it.
 */
public final class HostLock implements AutoCloseable {
    static final String FILE_NAME = "qtune-bench.lock";
    private static final Logger LOG = LoggerFactory.getLogger(HostLock.class);
    /** System property: seconds to wait for the bench lock (default {@value #DEFAULT_TIMEOUT_SECONDS}). */
    public static final String TIMEOUT_PROPERTY = "qtune.lock.timeout";

    public static final long DEFAULT_TIMEOUT_SECONDS = 900;
    private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
    private static final Map<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantLock jvmLock;
    private final FileChannel channel;
    private final FileLock fileLock;
    private boolean closed;

    private HostLock(Path file, ReentrantLock jvmLock, FileChannel channel, FileLock fileLock) {
        this.file = file;
        this.jvmLock = jvmLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /** The bench lock of a cache folder: {@code <cacheDir>/qtune-bench.lock} (the folder is created private if missing). */
    public static Path lockFileIn(Path cacheDir) {
        return CacheDir.secure(cacheDir).resolve(FILE_NAME);
    }

    /** The wait allowed by {@value #TIMEOUT_PROPERTY} (seconds), else {@value #DEFAULT_TIMEOUT_SECONDS} s. */
    public static Duration defaultTimeout() {
        String v = System.getProperty(TIMEOUT_PROPERTY);
        if (v == null || v.isBlank()) {
            return Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
        }
        try {
            double s = Double.parseDouble(v.strip());
            if (s > 0 && s < 1e9) {
                return Duration.ofMillis((long) Math.ceil(s * 1000));
            }
        } catch (NumberFormatException e) {
            // the error below
        }
        throw new QtuneException(
                "-D" + TIMEOUT_PROPERTY + " must be a positive number of seconds, but was '" + v + "'");
    }

    /** Waits up to {@link #defaultTimeout()} until this thread holds the host-wide lock of that file. */
    public static HostLock acquire(Path lockFile) {
        return acquire(lockFile, defaultTimeout());
    }

    /**
     * Waits up to {@code timeout} until this thread holds the lock of that file (created 0600 if
     * missing; a symbolic link or other non-regular file there is refused). The holder writes its
     * PID into the file, so a wait that times out says who holds it.
     */
    public static HostLock acquire(Path lockFile, Duration timeout) {
        Path file = lockFile.toAbsolutePath().normalize();
        ReentrantLock jvmLock = IN_JVM.computeIfAbsent(file, f -> new ReentrantLock(true));
        if (jvmLock.isHeldByCurrentThread()) {
            throw new IllegalStateException(
                    "this thread already holds the host lock " + file + "; HostLock is not reentrant");
        }
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        try {
            if (!jvmLock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw timedOut(
                        file, timeout, Long.toString(ProcessHandle.current().pid()) + " (another thread of this one)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QtuneException("interrupted while waiting for the bench lock " + file);
        }
        try {
            HostLock lock = lockFile(file, jvmLock, deadline, timeout);
            LOG.debug(
                    "host lock {} acquired after waiting {} s",
                    file,
                    String.format(Locale.ROOT, "%.3f", (System.nanoTime() - start) / 1e9));
            return lock;
        } catch (RuntimeException e) {
            jvmLock.unlock();
            throw e;
        }
    }

    private static HostLock lockFile(Path file, ReentrantLock jvmLock, long deadline, Duration timeout) {
        try {
            FileChannel channel = open(file);
            try {
                FileLock fileLock = waitFor(channel, deadline);
                if (fileLock == null) {
                    throw timedOut(file, timeout, holder(channel));
                }
                channel.truncate(0);
                channel.write(
                        ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                return new HostLock(file, jvmLock, channel, fileLock);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new QtuneException("cannot lock " + file + ": " + CacheDir.reason(e), e);
        }
    }

    private static FileLock waitFor(FileChannel channel, long deadline) throws IOException {
        long pause = 5;
        while (true) {
            FileLock l = channel.tryLock();
            if (l != null || System.nanoTime() - deadline >= 0) {
                return l;
            }
            try {
                Thread.sleep(Math.min(pause, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QtuneException("interrupted while waiting for a bench lock");
            }
            pause = Math.min(pause * 2, 200);
        }
    }

    private static QtuneException timedOut(Path file, Duration timeout, String holder) {
        return new QtuneException("bench lock " + file + " is held by process " + holder + "; gave up after "
                + timeout.toSeconds() + " s (raise -D" + TIMEOUT_PROPERTY + "=SECONDS)");
    }

    /** The PID the holder wrote into the lock file, or "unknown". */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer b = ByteBuffer.allocate(24);
            int n = channel.read(b, 0);
            String s = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).strip();
            return s.matches("[0-9]{1,19}") ? s : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static FileChannel open(Path file) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new QtuneException("bench lock " + file + " must be a regular file, but is "
                    + (Files.isSymbolicLink(file) ? "a symbolic link" : "another kind of file"));
        }
        try {
            return FileChannel.open(
                    file,
                    Set.of(
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE,
                            LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(OWNER_RW));
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(
                    file,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.READ,
                    StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /** Releases the lock (idempotent). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            fileLock.release();
            channel.close();
        } catch (IOException e) {
            LOG.warn("cannot release host lock {}: {}", file, e.toString());
        } finally {
            jvmLock.unlock();
            LOG.debug("host lock {} released", file);
        }
    }

    /** Threads of this JVM waiting for the lock of that file (for tests). */
    static int queuedThreads(Path lockFile) {
        ReentrantLock l = IN_JVM.get(lockFile.toAbsolutePath().normalize());
        return l == null ? 0 : l.getQueueLength();
    }
}

package dev.qtune.targets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host-wide exclusive lock, so that benchmark runs of several JVMs (and several threads of one
 * JVM) on one host never overlap. Across processes it is an OS file lock on the lock file; within
 * this JVM, where a second {@link FileChannel#lock()} on the same file would throw
 * OverlappingFileLockException, a fair {@link ReentrantLock} per lock file queues the threads first.
 *
 * <pre>{@code try (HostLock lock = HostLock.acquire(HostLock.defaultLockFile())) { ... measure ... }}</pre>
 *
 * <p>Not reentrant: a thread that holds the lock and asks again gets an IllegalStateException
 * rather than a deadlock. Close it on the thread that acquired it.
 */
public final class HostLock implements AutoCloseable {
    static final String FILE_NAME = "qtune-bench.lock";
    private static final Logger LOG = LoggerFactory.getLogger(HostLock.class);
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

    /** {@code /tmp/qtune-bench.lock} where /tmp is a writable folder, else the same name in java.io.tmpdir. */
    public static Path defaultLockFile() {
        Path tmp = Path.of("/tmp");
        if (Files.isDirectory(tmp) && Files.isWritable(tmp)) {
            return tmp.resolve(FILE_NAME);
        }
        return Path.of(System.getProperty("java.io.tmpdir")).resolve(FILE_NAME);
    }

    /** Blocks until this thread holds the host-wide lock of that file (created if missing). */
    public static HostLock acquire(Path lockFile) {
        Path file = lockFile.toAbsolutePath().normalize();
        ReentrantLock jvmLock = IN_JVM.computeIfAbsent(file, f -> new ReentrantLock(true));
        if (jvmLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("this thread already holds the host lock " + file + "; HostLock is not reentrant");
        }
        long start = System.nanoTime();
        jvmLock.lock();
        try {
            FileChannel channel = open(file);
            try {
                FileLock fileLock = channel.lock();
                LOG.debug("host lock {} acquired after waiting {} s", file,
                        String.format(Locale.ROOT, "%.3f", (System.nanoTime() - start) / 1e9));
                return new HostLock(file, jvmLock, channel, fileLock);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            jvmLock.unlock();
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            jvmLock.unlock();
            throw e;
        }
    }

    private static FileChannel open(Path file) throws IOException {
        boolean existed = Files.exists(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (!existed) {
            try {
                // Other users' benchmark runs on this host must be able to take the same lock.
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
            } catch (IOException | UnsupportedOperationException e) {
                LOG.debug("cannot make {} writable for all: {}", file, e.toString());
            }
        }
        return channel;
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

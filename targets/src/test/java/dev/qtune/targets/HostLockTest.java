package dev.qtune.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostLockTest {
    @TempDir
    Path dir;

    @Test
    void excludesASecondThreadUntilTheFirstReleases() throws Exception {
        Path file = dir.resolve("bench.lock");
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch firstHolds = new CountDownLatch(1);
        Thread second = new Thread(() -> {
            try {
                firstHolds.await();
                try (HostLock lock = HostLock.acquire(file)) {
                    events.add("second acquired");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        second.start();
        try (HostLock lock = HostLock.acquire(file)) {
            events.add("first acquired");
            firstHolds.countDown();
            // Wait (no sleep, no timing) until the second thread is queued on the lock.
            while (HostLock.queuedThreads(file) == 0 && second.isAlive()) {
                Thread.onSpinWait();
            }
            events.add("first releasing");
        }
        second.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(List.of("first acquired", "first releasing", "second acquired"), events);
    }

    @Test
    void holdsAnOsFileLock() throws Exception {
        Path file = dir.resolve("held.lock");
        try (HostLock lock = HostLock.acquire(file);
             FileChannel other = FileChannel.open(file, StandardOpenOption.WRITE)) {
            assertEquals(file.toAbsolutePath(), lock.file());
            assertThrows(OverlappingFileLockException.class, other::tryLock, "the file lock is held by this JVM");
        }
        try (FileChannel other = FileChannel.open(file, StandardOpenOption.WRITE)) {
            other.tryLock().release();
        }
    }

    @Test
    void excludesAnotherJvm() {
        Path file = dir.resolve("jvm.lock");
        List<String> probe = List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), HostLockProbe.class.getName(), file.toString());
        try (HostLock lock = HostLock.acquire(file)) {
            ProcessResult r = NativeProcess.run(probe, Duration.ofSeconds(60), null, Map.of());
            assertEquals("busy", r.stdout().strip(), r.reason() + r.stderr());
        }
        ProcessResult r = NativeProcess.run(probe, Duration.ofSeconds(60), null, Map.of());
        assertEquals("free", r.stdout().strip(), r.reason() + r.stderr());
    }

    @Test
    void isNotReentrant() {
        Path file = dir.resolve("twice.lock");
        try (HostLock lock = HostLock.acquire(file)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> HostLock.acquire(file));
            assertTrue(e.getMessage().contains("not reentrant"), e.getMessage());
        }
        try (HostLock again = HostLock.acquire(file)) {
            assertEquals(file.toAbsolutePath(), again.file());
        }
    }

    @Test
    void defaultLockFileIsInTheTemporaryFolder() {
        assertEquals("qtune-bench.lock", HostLock.defaultLockFile().getFileName().toString());
    }
}

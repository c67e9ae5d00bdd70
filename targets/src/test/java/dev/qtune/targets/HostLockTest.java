package dev.qtune.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.QtuneException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
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
        List<String> probe = List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                HostLockProbe.class.getName(),
                file.toString());
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
    void theLockFileLivesInThePrivateCacheFolder() throws Exception {
        Path cache = dir.resolve("cache");
        Path file = HostLock.lockFileIn(cache);
        assertEquals(cache.resolve("qtune-bench.lock").toAbsolutePath(), file);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
        try (HostLock lock = HostLock.acquire(file)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(
                    Long.toString(ProcessHandle.current().pid()),
                    Files.readString(file).strip());
        }
    }

    @Test
    @Tag("reliability")
    void aSymbolicLinkPlantedAsTheLockFileIsRefused() throws Exception {
        Path target = dir.resolve("victim");
        Files.writeString(target, "keep");
        Path link = Files.createSymbolicLink(dir.resolve("link.lock"), target);
        QtuneException e = assertThrows(QtuneException.class, () -> HostLock.acquire(link, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertEquals("keep", Files.readString(target));
    }

    @Test
    @Tag("reliability")
    void aWaitThatTimesOutNamesTheHolder() throws Exception {
        Path file = dir.resolve("busy.lock");
        List<String> holder = List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                HostLockProbe.class.getName(),
                file.toString(),
                "hold");
        Process p = new ProcessBuilder(holder)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            String first = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
            assertEquals("held", first);
            long t0 = System.nanoTime();
            QtuneException e = assertThrows(QtuneException.class, () -> HostLock.acquire(file, Duration.ofMillis(300)));
            assertTrue((System.nanoTime() - t0) / 1e9 < 10, "bounded wait");
            assertTrue(e.getMessage().contains("held by process " + p.pid()), e.getMessage());
            assertTrue(e.getMessage().contains(HostLock.TIMEOUT_PROPERTY), e.getMessage());
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}

package dev.qtune.targets;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Run in a second JVM by {@link HostLockTest}: prints "busy" if the lock file is locked, else "free". */
public final class HostLockProbe {
    private HostLockProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            System.out.println(lock == null ? "busy" : "free");
            if (lock != null) {
                lock.release();
            }
        }
    }
}

package dev.qtune.targets;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Run in a second JVM by {@link HostLockTest}: prints "busy" if the lock file is locked, else "free"; with "hold", takes the lock, prints "held" and keeps it two minutes. */
public final class HostLockProbe {
    private HostLockProbe() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 1 && args[1].equals("hold")) {
            try (HostLock lock = HostLock.acquire(Path.of(args[0]))) {
                System.out.println("held");
                System.out.flush();
                Thread.sleep(120_000);
            }
            return;
        }
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            System.out.println(lock == null ? "busy" : "free");
            if (lock != null) {
                lock.release();
            }
        }
    }
}

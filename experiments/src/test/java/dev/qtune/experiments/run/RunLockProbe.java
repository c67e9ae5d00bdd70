package dev.qtune.experiments.run;

import java.nio.file.Path;

/** Run in a second JVM by {@link RunDirectoryLockTest}: locks the run directory, prints "held", keeps it two minutes. */
public final class RunLockProbe {
    private RunLockProbe() {}

    public static void main(String[] args) throws Exception {
        try (RunLock lock = RunLock.acquire(Path.of(args[0]))) {
            System.out.println("held");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}

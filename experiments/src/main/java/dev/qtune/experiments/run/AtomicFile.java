package dev.qtune.experiments.run;

import dev.qtune.compiler.QtuneException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces a file's content atomically: written beside it under a name of this process, then
 * moved over it, so a reader (or a kill) never sees half a file.
 */
public final class AtomicFile {
    private AtomicFile() {}

    /** Writes {@code text} (UTF-8) to {@code target}; an I/O error is a one-line error naming the file. */
    public static void write(Path target, String text) {
        Path tmp = target.resolveSibling(
                "." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write's own error is the one to report
            }
            throw new QtuneException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}

package dev.qtune.targets.codegen;

import dev.qtune.targets.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** What the tests that compile C against the kernel library share: writing it out, and skipping a target aloud. */
final class KernelLibraryFiles {
    private KernelLibraryFiles() {}

    /** Writes every file of the kernel library into {@code dir}. */
    static void write(Path dir) throws IOException {
        for (String file : CModuleEmitter.LIBRARY) {
            Files.writeString(dir.resolve(file), CModuleEmitter.resource(file), StandardCharsets.UTF_8);
        }
    }

    /** Skips the test unless {@code ok}, printing "SKIPPED target T: why" so a run says what it did not check. */
    static void skipUnless(boolean ok, Target t, String why) {
        Assumptions.assumeTrue(ok, () -> {
            String msg = "SKIPPED target " + t.name() + ": " + why;
            System.err.println(msg);
            return msg;
        });
    }
}

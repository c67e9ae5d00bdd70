package dev.qtune.targets;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A native executable built by {@link NativeBuild}.
 *
 * @param executable      the program, {@code <cacheDir>/native/<hash>/module}
 * @param hash            SHA-256 (hex) of the sources, target, flags and compiler version: the cache key
 * @param compileSeconds  seconds the compiler ran; 0 for a cache hit
 * @param cacheHit        true when the executable came from the cache and no compiler ran
 * @param compilerVersion the first line of {@code cc --version}
 * @param flags           every compiler flag used (the target's, then the caller's extra flags)
 * @param warnings        the compiler's stderr of the (successful) build; empty when it was clean
 */
public record CompiledModule(
        Path executable,
        String hash,
        double compileSeconds,
        boolean cacheHit,
        String compilerVersion,
        List<String> flags,
        String warnings) {
    public CompiledModule {
        Objects.requireNonNull(executable, "executable");
        if (hash == null || !hash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("hash must be 64 lowercase hex digits, but was '" + hash + "'");
        }
        if (!(compileSeconds >= 0)) {
            throw new IllegalArgumentException("compileSeconds must be >= 0, but was " + compileSeconds);
        }
        Objects.requireNonNull(compilerVersion, "compilerVersion");
        flags = List.copyOf(Objects.requireNonNull(flags, "flags"));
        Objects.requireNonNull(warnings, "warnings");
    }

    /** The folder that holds the executable, its sources and its build notes. */
    public Path directory() {
        return executable.getParent();
    }
}

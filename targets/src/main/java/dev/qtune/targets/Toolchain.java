package dev.qtune.targets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A C compiler found on PATH for a target.
 *
 * @param executable the compiler, as found on PATH
 * @param version    the first line of {@code cc --version} (part of every build's cache key and provenance)
 */
public record Toolchain(Path executable, String version) {
    /** System property: a compiler to prefer over gcc for the host's own arch, e.g. {@code clang}. */
    public static final String CC_PROPERTY = "qtune.cc";

    private static final Logger LOG = LoggerFactory.getLogger(Toolchain.class);
    private static final Map<Path, String> VERSIONS = new ConcurrentHashMap<>();
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);

    public Toolchain {
        Objects.requireNonNull(executable, "executable");
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("compiler version must be non-blank, but was '" + version + "'");
        }
    }

    /**
     * The target's compiler ({@link Target#compilerCommand()}) on PATH, or empty. For a target built
     * with the plain host compiler, {@code -Dqtune.cc=clang} (or another command) is preferred when
     * it is on PATH; when it is not, gcc is used and a warning says so.
     */
    public static Optional<Toolchain> find(Target t) {
        Optional<Path> exe = Optional.empty();
        String preferred = System.getProperty(CC_PROPERTY, "").trim();
        if (!preferred.isEmpty() && t.compilerCommand().equals("gcc")) {
            exe = PathLookup.find(preferred);
            if (exe.isEmpty()) {
                LOG.warn(
                        "-D{}={} not found on PATH; using {} for target {}",
                        CC_PROPERTY,
                        preferred,
                        t.compilerCommand(),
                        t.name());
            }
        }
        if (exe.isEmpty()) {
            exe = PathLookup.find(t.compilerCommand());
        }
        return exe.map(p -> new Toolchain(p, versionOf(p)));
    }

    /** How to install the target's compiler, for error messages. */
    public static String installHint(Target t) {
        String cc = t.compilerCommand();
        if (cc.equals(Targets.AARCH64_CROSS_COMPILER)) {
            return HostCpu.CROSS_INSTALL_HINT;
        }
        return "apt-get install " + (cc.startsWith("clang") ? "clang" : "gcc");
    }

    /** The first line of {@code cc --version}, computed once per executable. */
    static String versionOf(Path cc) {
        return VERSIONS.computeIfAbsent(cc, Toolchain::askVersion);
    }

    private static String askVersion(Path cc) {
        ProcessResult r = NativeProcess.run(List.of(cc.toString(), "--version"), VERSION_TIMEOUT, null, Map.of());
        String first = r.stdout().strip().lines().findFirst().orElse("").strip();
        if (!r.ok() || first.isEmpty()) {
            LOG.warn("{} --version failed ({}); its builds are cached under an unknown version", cc, r.reason());
            return "unknown " + cc.getFileName();
        }
        return first;
    }
}

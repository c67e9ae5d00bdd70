package dev.qtune.targets;

import dev.qtune.compiler.InputLimits;
import dev.qtune.compiler.QtuneException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds C sources into a native executable for a target, through a content-addressed cache.
 *
 * <p>The compiler runs with an argument array (never a shell) in a fresh temporary folder under
 * {@code <cacheDir>/native/}: {@code cc <target flags> <extra flags> -o module <the .c files> -lm}.
 * The finished folder (executable, sources, {@value #COMMAND_FILE}, {@value #WARNINGS_FILE}) is
 * then moved atomically to {@code <cacheDir>/native/<hash>/}, so a folder there is always complete,
 * and a second build of the same inputs runs no compiler. Threads of one JVM building the same
 * inputs at once compile once; separate processes may both compile, and the first move wins (see
 * {@link CacheEntry}). The cache folder must be private ({@link CacheDir}), and a cached executable
 * runs only when its SHA-256 matches the one recorded when it was built.
 */
public final class NativeBuild {
    /** The folder under the cache directory that holds native builds. */
    public static final String FOLDER = "native";
    /** The executable's file name in its build folder. */
    public static final String EXECUTABLE = "module";
    /** Source entries with this suffix are binary data (one char per byte), e.g. for the assembler's .incbin. */
    public static final String BINARY_SUFFIX = ".bin";
    /** System property: seconds the compiler may run (default {@value #DEFAULT_TIMEOUT_SECONDS}). */
    public static final String TIMEOUT_PROPERTY = "qtune.cc.timeout";

    public static final long DEFAULT_TIMEOUT_SECONDS = 300;
    static final String COMMAND_FILE = "command.txt";
    static final String WARNINGS_FILE = "warnings.txt";
    static final int ERROR_LINES = 40;

    private static final Logger LOG = LoggerFactory.getLogger(NativeBuild.class);
    private static final Pattern SOURCE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*\\.(c|h|bin)");
    /** One lock per build hash, so threads building the same inputs compile once and others do not wait. */
    private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();

    private NativeBuild() {}

    /**
     * Builds (or finds in the cache) the executable of these sources for the target.
     *
     * @param sources   file name to C text; {@code .c} files are compiled, {@code .h} files only written
     * @param extraFlags compiler flags after the target's (e.g. {@code -DBATCH=8})
     * @param cacheDir  qtune's cache directory; builds go in its {@value #FOLDER} folder
     * @throws NativeBuildException when there is no compiler, the sources do not compile, or the compiler times out
     */
    public static CompiledModule build(
            Target target, Map<String, String> sources, List<String> extraFlags, Path cacheDir) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Map<String, String> files = checkSources(sources);
        List<String> flags = new ArrayList<>(target.compilerFlags());
        flags.addAll(List.copyOf(Objects.requireNonNull(extraFlags, "extraFlags")));
        Toolchain cc = Toolchain.find(target)
                .orElseThrow(() -> new NativeBuildException(
                        "no C compiler for target "
                                + target.name() + ": " + target.compilerCommand() + " not found on PATH ("
                                + Toolchain.installHint(target)
                                + ")",
                        List.of(),
                        ""));
        String hash = BuildKey.of(files, target.name(), flags, cc.version());
        Path root = CacheDir.secure(cacheDir, FOLDER);
        CacheEntry.cleanStale(root);
        Path dir = root.resolve(hash);
        synchronized (LOCKS.computeIfAbsent(hash, h -> new Object())) {
            CompiledModule cached = cached(dir, hash, cc, flags);
            if (cached != null) {
                LOG.debug("native build {} for {}: cache hit", hash.substring(0, 12), target.name());
                return cached;
            }
            return compile(target, files, flags, cc, root, hash);
        }
    }

    private static Map<String, String> checkSources(Map<String, String> sources) {
        Objects.requireNonNull(sources, "sources");
        Map<String, String> files = new TreeMap<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            if (e.getKey() == null || !SOURCE_NAME.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException(
                        "source names must be plain file names ending in .c, .h or .bin, but one was '" + e.getKey()
                                + "'");
            }
            files.put(e.getKey(), Objects.requireNonNull(e.getValue(), "text of source " + e.getKey()));
        }
        long size = files.values().stream().mapToLong(String::length).sum();
        if (size > InputLimits.cBytes()) {
            throw new NativeBuildException(
                    "generated C sources must be at most " + InputLimits.cBytes() + " bytes before"
                            + " the compiler runs, but are " + size + " (raise -D" + InputLimits.C_BYTES + ")",
                    List.of(),
                    "");
        }
        if (files.keySet().stream().noneMatch(n -> n.endsWith(".c"))) {
            throw new IllegalArgumentException("sources must include at least one .c file, but were " + files.keySet());
        }
        return files;
    }

    private static CompiledModule cached(Path dir, String hash, Toolchain cc, List<String> flags) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (!CacheEntry.verified(dir)) {
            LOG.warn("native build cache entry {} is incomplete or does not match its recorded hash; rebuilding", dir);
            return null;
        }
        String warnings = "";
        try {
            Path w = dir.resolve(WARNINGS_FILE);
            warnings = Files.isRegularFile(w, LinkOption.NOFOLLOW_LINKS) && Files.size(w) < 1 << 20
                    ? Files.readString(w, StandardCharsets.UTF_8)
                    : "";
        } catch (IOException e) {
            LOG.debug("cannot read {}: {}", dir.resolve(WARNINGS_FILE), e.toString());
        }
        return new CompiledModule(dir.resolve(EXECUTABLE), hash, 0, true, cc.version(), flags, warnings);
    }

    private static CompiledModule compile(
            Target target, Map<String, String> files, List<String> flags, Toolchain cc, Path root, String hash) {
        Path tmp = writeSources(files, root);
        Optional<SharedParts.Parts> parts = SharedParts.prepare(target, files, flags, cc, root);
        Path pch = parts.flatMap(SharedParts.Parts::pch).map(tmp::resolve).orElse(null);
        boolean usePch = pch != null && linkOrCopy(parts.get().dir().resolve(pch.getFileName()), pch);
        double seconds = 0;
        StringBuilder warnings = new StringBuilder();
        List<Path> layerObjects = List.of();
        if (parts.isPresent()) {
            LayerBuild layers = compileLayers(target, files, flags, cc, root, hash, tmp, usePch);
            seconds += layers.seconds();
            warnings.append(layers.stderr());
            layerObjects = layers.objects();
        }
        List<String> command = linkCommand(files, flags, cc, parts, usePch, layerObjects);
        ProcessResult r = run(target, cc, command, tmp, root, hash, List.of(EXECUTABLE));
        seconds += r.seconds();
        warnings.append(r.stderr());
        writeNotes(tmp, command, warnings.toString(), pch, layerObjects);
        Path dir = CacheEntry.publish(tmp, root.resolve(hash));
        LOG.debug(
                "native build {} for {}: compiled in {} s{}",
                hash.substring(0, 12),
                target.name(),
                String.format(Locale.ROOT, "%.2f", seconds),
                warnings.isEmpty() ? "" : " (with warnings)");
        return new CompiledModule(
                dir.resolve(EXECUTABLE), hash, seconds, false, cc.version(), flags, warnings.toString());
    }

    /** Writes the sources into a fresh build folder under {@code root}. */
    private static Path writeSources(Map<String, String> files, Path root) {
        try {
            Path tmp = Files.createTempDirectory(root, CacheEntry.buildPrefix());
            for (Map.Entry<String, String> e : files.entrySet()) {
                // ".bin" entries are binary data carried in a String, one char per byte (ISO-8859-1).
                Files.writeString(
                        tmp.resolve(e.getKey()),
                        e.getValue(),
                        e.getKey().endsWith(BINARY_SUFFIX) ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
            }
            return tmp;
        } catch (IOException e) {
            throw new QtuneException(
                    "cannot write the sources of a native build under " + root + ": " + CacheDir.reason(e), e);
        }
    }

    /** The layer objects to link, and the time and warnings of compiling those not yet cached. */
    private record LayerBuild(List<Path> objects, double seconds, String stderr) {}

    /** Compiles the layers missing from the object cache (in one unit) and publishes them. */
    private static LayerBuild compileLayers(
            Target target,
            Map<String, String> files,
            List<String> flags,
            Toolchain cc,
            Path root,
            String hash,
            Path tmp,
            boolean usePch) {
        LayerObjects.Plan layers = LayerObjects.plan(target, files, flags, cc, root);
        int missing = layers.missing().size();
        double seconds = 0;
        String stderr = "";
        if (missing > 0) {
            String unit = LayerObjects.unit(layers, files);
            try {
                Files.writeString(tmp.resolve(LayerObjects.UNIT), unit, StandardCharsets.UTF_8);
            } catch (IOException e) {
                FileTrees.deleteQuietly(tmp);
                throw new QtuneException(
                        "cannot write the layers of a native build under " + root + ": " + CacheDir.reason(e), e);
            }
            List<String> command = LayerObjects.compileCommand(cc, flags, usePch);
            ProcessResult r = run(target, cc, command, tmp, root, hash, List.of(LayerObjects.UNIT.replace(".c", ".o")));
            seconds = r.seconds();
            stderr = r.stderr();
            layers = LayerObjects.publish(layers, tmp, unit, target, flags, cc, root);
        }
        LOG.debug(
                "native build {}: {} of {} layers compiled, {} objects linked",
                hash.substring(0, 12),
                missing,
                layers.keys().size(),
                layers.objects().size());
        return new LayerBuild(layers.objects(), seconds, stderr);
    }

    /** The command that compiles the rest and links the executable. */
    private static List<String> linkCommand(
            Map<String, String> files,
            List<String> flags,
            Toolchain cc,
            Optional<SharedParts.Parts> parts,
            boolean usePch,
            List<Path> layerObjects) {
        List<String> command = new ArrayList<>();
        command.add(cc.executable().toString());
        command.addAll(flags);
        if (usePch) {
            command.add("-Winvalid-pch"); // a precompiled header the compiler cannot use shows as a warning
        }
        command.add("-o");
        command.add(EXECUTABLE);
        for (String n : files.keySet()) {
            if (n.endsWith(".c") && (parts.isEmpty() || !LayerObjects.isLayer(n))) {
                command.add(
                        parts.isPresent() && !n.equals(SharedParts.MAIN)
                                ? parts.get()
                                        .dir()
                                        .resolve(n.replace(".c", ".o"))
                                        .toString()
                                : n);
            }
        }
        layerObjects.forEach(o -> command.add(o.toString()));
        if (!layerObjects.isEmpty()) {
            command.add(LayerObjects.LINK_FLAG);
        }
        command.add("-lm");
        return command;
    }

    /** Drops what the shared caches keep, writes the build notes and seals the folder. */
    private static void writeNotes(Path tmp, List<String> command, String warnings, Path pch, List<Path> layerObjects) {
        try {
            Path unitObject = tmp.resolve(LayerObjects.UNIT.replace(".c", ".o"));
            if (!layerObjects.contains(unitObject)) {
                Files.deleteIfExists(unitObject); // published in the object cache; the module no longer needs it
            }
            if (pch != null) {
                Files.deleteIfExists(pch); // tens of megabytes, kept once in the shared parts
            }
            Files.writeString(tmp.resolve(COMMAND_FILE), String.join(" ", command) + "\n", StandardCharsets.UTF_8);
            Files.writeString(tmp.resolve(WARNINGS_FILE), warnings, StandardCharsets.UTF_8);
            CacheEntry.seal(tmp);
        } catch (IOException e) {
            FileTrees.deleteQuietly(tmp);
            throw new QtuneException("cannot write build notes in " + tmp + ": " + CacheDir.reason(e), e);
        }
    }

    /** Runs one compiler command in the build folder; a failure keeps the sources and throws. */
    private static ProcessResult run(
            Target target, Toolchain cc, List<String> command, Path tmp, Path root, String hash, List<String> outputs) {
        ProcessResult r;
        try {
            r = NativeProcess.run(command, timeout(), tmp, Map.of("LC_ALL", "C"));
        } catch (UncheckedIOException e) {
            FileTrees.deleteQuietly(tmp);
            throw new NativeBuildException(
                    "cannot run the C compiler " + cc.executable() + " for target " + target.name() + " ("
                            + Toolchain.installHint(target) + "): " + e.getMessage(),
                    e);
        }
        if (!r.ok() || outputs.stream().anyMatch(o -> !Files.isRegularFile(tmp.resolve(o)))) {
            Path kept = keepFailed(tmp, root, hash);
            throw failure(target, command, r, kept);
        }
        return r;
    }

    /** Hard-links (or, across file systems, copies) a shared part into a build folder; false if neither works. */
    private static boolean linkOrCopy(Path from, Path to) {
        try {
            Files.createLink(to, from);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            try {
                Files.copy(from, to);
                return true;
            } catch (IOException e2) {
                LOG.debug("cannot use the precompiled header {}: {}", from, e2.toString());
                return false;
            }
        }
    }

    /** Keeps the sources of a failed build in {@code native/failed/<hash>} for inspection (the last failure wins). */
    private static Path keepFailed(Path tmp, Path root, String hash) {
        Path failed = root.resolve("failed").resolve(hash);
        try {
            FileTrees.deleteQuietly(failed);
            Files.createDirectories(failed.getParent());
            Files.move(tmp, failed);
            return failed;
        } catch (IOException e) {
            FileTrees.deleteQuietly(tmp);
            return null;
        }
    }

    private static NativeBuildException failure(Target target, List<String> command, ProcessResult r, Path kept) {
        StringBuilder msg =
                new StringBuilder("C compile for target ").append(target.name()).append(" failed (");
        String why;
        if (r.status() == ProcessResult.Status.TIMEOUT) {
            why = r.reason() + "; raise -D" + TIMEOUT_PROPERTY + "=SECONDS";
        } else if (r.ok()) {
            why = "the compiler wrote no executable";
        } else {
            why = r.reason().replaceFirst("; stderr: .*", "");
        }
        msg.append(why).append(")\n");
        msg.append("  ").append(String.join(" ", command)).append('\n');
        if (kept != null) {
            msg.append("  sources kept in ").append(kept).append('\n');
        }
        List<String> lines = r.stderr().strip().lines().toList();
        lines.stream().limit(ERROR_LINES).forEach(l -> msg.append(l).append('\n'));
        if (lines.size() > ERROR_LINES) {
            msg.append("(").append(lines.size() - ERROR_LINES).append(" more lines)\n");
        }
        return new NativeBuildException(msg.toString().stripTrailing(), command, r.stderr());
    }

    static Duration timeout() {
        String value = System.getProperty(TIMEOUT_PROPERTY);
        if (value == null || value.isBlank()) {
            return Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
        }
        try {
            double s = Double.parseDouble(value.trim());
            if (s > 0) {
                return Duration.ofMillis((long) Math.ceil(s * 1000));
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(
                "-D" + TIMEOUT_PROPERTY + " must be a positive number of seconds, but was '" + value + "'");
    }
}

package dev.qtune.targets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a module build that every module of a target shares, compiled once per (library
 * sources, flags, compiler) into {@code <cache>/native/lib-<hash>/} and reused: the kernel
 * library's header precompiled ({@value #HEADER}, as GCC's {@code .gch}) and every {@code .c} file
 * other than {@value #MAIN} compiled to an object. A module's compile then parses and optimises only
 * its own code: on an AMD EPYC, resnet8's int8 module took 1.45 s of CPU before, 0.95 s with the
 * parts (the intrinsics headers alone took 0.33 s to parse).
 *
 * <p>Only builds that have a {@value #MAIN} use shared parts. The folder is published atomically
 * like a module's, and its files' SHA-256 sums are recorded and checked (once per JVM) before use;
 * a folder that does not verify is ignored and the module compiles from its sources alone.
 */
final class SharedParts {
    /** The module's own source; every other .c file is a shared part. */
    static final String MAIN = "model.c";
    /** The header precompiled, when the sources have it. */
    static final String HEADER = "qtune_kernels.h";

    static final String PREFIX = "lib-";
    static final String SUMS = "parts.sha256";

    private static final Logger LOG = LoggerFactory.getLogger(SharedParts.class);
    /** Folders verified in this JVM, with the sizes and modification times their files had then. */
    private static final Map<Path, String> VERIFIED = new ConcurrentHashMap<>();

    private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();

    /** A verified folder of parts: the precompiled header's file name (if any) and the objects. */
    record Parts(Path dir, Optional<String> pch, List<String> objects) {}

    private SharedParts() {}

    /** The shared parts of these sources, built if needed; empty when the build has none or they cannot be made. */
    static Optional<Parts> prepare(
            Target target, Map<String, String> files, List<String> flags, Toolchain cc, Path root) {
        if (!files.containsKey(MAIN)) {
            return Optional.empty();
        }
        Map<String, String> library = new TreeMap<>();
        files.forEach((name, text) -> {
            if (name.endsWith(".h") || name.endsWith(".c") && !name.equals(MAIN) && !LayerObjects.isLayer(name)) {
                library.put(name, text);
            }
        });
        Optional<String> pch = library.containsKey(HEADER) ? Optional.of(HEADER + ".gch") : Optional.empty();
        List<String> objects = library.keySet().stream()
                .filter(n -> n.endsWith(".c"))
                .map(n -> n.replace(".c", ".o"))
                .toList();
        if (pch.isEmpty() && objects.isEmpty()) {
            return Optional.empty();
        }
        String hash = PREFIX + BuildKey.of(library, target.name(), flags, cc.version());
        Path dir = root.resolve(hash);
        synchronized (LOCKS.computeIfAbsent(hash, h -> new Object())) {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !build(library, flags, cc, root, dir, pch, objects)) {
                return Optional.empty();
            }
            List<String> all = new ArrayList<>(objects);
            pch.ifPresent(all::add);
            if (!verified(dir, all)) {
                LOG.warn("shared native parts {} do not match their recorded sums; compiling without them", dir);
                return Optional.empty();
            }
        }
        return Optional.of(new Parts(dir, pch, objects));
    }

    private static boolean build(
            Map<String, String> library,
            List<String> flags,
            Toolchain cc,
            Path root,
            Path dir,
            Optional<String> pch,
            List<String> objects) {
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory(root, CacheEntry.buildPrefix());
            for (Map.Entry<String, String> e : library.entrySet()) {
                Files.writeString(tmp.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
            }
            Optional<String> sums = compileAll(commands(cc, flags, pch, objects), tmp);
            if (sums.isEmpty()) {
                FileTrees.deleteQuietly(tmp);
                return false;
            }
            Files.writeString(tmp.resolve(SUMS), sums.get(), StandardCharsets.US_ASCII);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileSystemException e) {
            // another process published the same parts first: use theirs (verified below)
            FileTrees.deleteQuietly(tmp);
            return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot build shared native parts in {}: {}", root, e.toString());
            if (tmp != null) {
                FileTrees.deleteQuietly(tmp);
            }
            return false;
        }
    }

    /** The commands that build the precompiled header (where there is one) and each object. */
    private static List<List<String>> commands(
            Toolchain cc, List<String> flags, Optional<String> pch, List<String> objects) {
        List<List<String>> commands = new ArrayList<>();
        if (pch.isPresent()) {
            commands.add(command(cc, flags, List.of("-x", "c-header", HEADER, "-o", pch.get())));
        }
        for (String o : objects) {
            commands.add(command(cc, flags, List.of("-c", o.replace(".o", ".c"), "-o", o)));
        }
        return commands;
    }

    /** Runs the commands in {@code tmp}: the sums file's text, or empty when a part did not build. */
    private static Optional<String> compileAll(List<List<String>> commands, Path tmp) throws IOException {
        StringBuilder sums = new StringBuilder();
        for (List<String> c : commands) {
            ProcessResult r = NativeProcess.run(c, NativeBuild.timeout(), tmp, Map.of("LC_ALL", "C"));
            String out = c.get(c.size() - 1);
            if (!r.ok() || !Files.isRegularFile(tmp.resolve(out))) {
                LOG.debug("shared part {} did not build ({}); modules compile without it", out, r.reason());
                return Optional.empty();
            }
            sums.append(CacheEntry.sha256(tmp.resolve(out)))
                    .append("  ")
                    .append(out)
                    .append('\n');
        }
        return Optional.of(sums.toString());
    }

    private static List<String> command(Toolchain cc, List<String> flags, List<String> rest) {
        List<String> c = new ArrayList<>();
        c.add(cc.executable().toString());
        c.addAll(flags);
        c.addAll(rest);
        return c;
    }

    /**
     * Whether every named file of the folder matches its recorded sum; hashed once per JVM, and
     * again whenever a file's size or modification time has changed since.
     */
    private static boolean verified(Path dir, List<String> names) {
        String stamp = stamp(dir, names);
        if (stamp.equals(VERIFIED.get(dir))) {
            return true;
        }
        try {
            Path sums = dir.resolve(SUMS);
            if (!Files.isRegularFile(sums, LinkOption.NOFOLLOW_LINKS) || Files.size(sums) > 64 * 1024) {
                return false;
            }
            Map<String, String> recorded = new TreeMap<>();
            for (String line : Files.readAllLines(sums, StandardCharsets.US_ASCII)) {
                int sp = line.indexOf("  ");
                if (sp > 0) {
                    recorded.put(line.substring(sp + 2), line.substring(0, sp));
                }
            }
            for (String n : names) {
                Path f = dir.resolve(n);
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                        || !CacheEntry.sha256(f).equals(recorded.get(n))) {
                    return false;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot verify {}: {}", dir, e.toString());
            return false;
        }
        VERIFIED.put(dir, stamp);
        return true;
    }

    private static String stamp(Path dir, List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            try {
                Path f = dir.resolve(n);
                sb.append(n)
                        .append(' ')
                        .append(Files.size(f))
                        .append(' ')
                        .append(Files.getLastModifiedTime(f).toMillis())
                        .append('\n');
            } catch (IOException e) {
                sb.append(n).append(" missing\n");
            }
        }
        return sb.toString();
    }
}

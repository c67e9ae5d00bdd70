package dev.qtune.targets;

import dev.qtune.compiler.QtuneException;
import dev.qtune.targets.codegen.CModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes a deployable library of one generated module into a folder (what {@code qtune build}
 * does): the module's sources ({@code .c}, {@code .h}, {@code .bin}; every one of
 * {@link CModule#sources()} but the runner, which has a {@code main}), {@value LibraryHeader#FILE}
 * (the documented API), a static library {@value #STATIC_LIBRARY} and a shared one
 * {@value #SHARED_LIBRARY} built with the target's compiler and flags (plus {@code -fPIC}),
 * {@value #EXAMPLE} and a {@value #README}. Every {@code .c} file is compiled on its own, in the
 * folder (so the assembler finds the {@code .bin} files its {@code .incbin} names), with argument
 * arrays, never a shell; the objects are archived with the toolchain's {@code ar} and linked with
 * {@code -shared}. A {@value #MANIFEST} lists what was written, so that a later build into the same
 * folder replaces exactly those files and refuses a folder holding anything else.
 */
public final class LibraryBuild {
    public static final String STATIC_LIBRARY = "libqtune_model.a";
    public static final String SHARED_LIBRARY = "libqtune_model.so";
    public static final String HEADER = LibraryHeader.FILE;
    public static final String EXAMPLE = "example.c";
    public static final String README = "README.md";
    public static final String MANIFEST = "qtune_build.txt";
    /** The runner harness, compiled with every module for qtune's own runs; a library leaves it out. */
    public static final String RUNNER = "qtune_runner.c";

    private static final Pattern SOURCE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*\\.(c|h|bin)");
    private static final Pattern SAMPLE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final String OBJECTS = ".qtune-objects";
    private static final String FILES_LINE = "files:";

    private LibraryBuild() {}

    /**
     * Builds the library of {@code module} for {@code target} into {@code dir} (created if absent;
     * it must be empty or hold an earlier build).
     *
     * @throws NativeBuildException when the compiler or archiver is missing or a step fails
     * @throws QtuneException       when the folder cannot be used
     */
    public static LibraryResult build(CModule module, Target target, LibrarySpec spec, Path dir) {
        return build(module, target, spec, dir, Map.of());
    }

    /**
     * As above, also writing {@code extraFiles} (plain name to bytes, e.g. sample inputs) beside
     * the library and listing them in the manifest.
     */
    public static LibraryResult build(
            CModule module, Target target, LibrarySpec spec, Path dir, Map<String, byte[]> extraFiles) {
        Toolchain cc = Toolchain.find(target)
                .orElseThrow(() -> new NativeBuildException(
                        "no C compiler for target "
                                + target.name() + ": " + target.compilerCommand() + " not found on PATH ("
                                + Toolchain.installHint(target)
                                + ")",
                        List.of(),
                        ""));
        Path ar = archiver(cc.executable());
        Map<String, String> sources = librarySources(module);
        Map<String, byte[]> extras = checkExtras(extraFiles, sources.keySet());
        List<String> files = new ArrayList<>(sources.keySet());
        files.addAll(List.of(STATIC_LIBRARY, SHARED_LIBRARY, HEADER, EXAMPLE, README));
        files.addAll(extras.keySet());
        files.sort(null);
        LibraryFolder.prepare(dir, MANIFEST, FILES_LINE, OBJECTS);
        // listed first, so that a build that fails half-way leaves a folder the next build may replace
        write(dir, MANIFEST, manifest(target, cc.version(), files, List.of()), false);
        sources.forEach((name, text) -> write(dir, name, text, name.endsWith(NativeBuild.BINARY_SUFFIX)));
        List<String> flags = new ArrayList<>(target.compilerFlags());
        flags.add("-fPIC");
        LibrarySteps steps = compile(dir, target, cc, ar, flags, sources.keySet());
        write(dir, HEADER, LibraryHeader.text(module, target, spec, cc.version()), false);
        write(dir, EXAMPLE, resource("library/" + EXAMPLE), false);
        write(dir, README, LibraryReadme.text(module, target, spec, cc.version(), flags, sources.keySet()), false);
        extras.forEach((name, bytes) -> {
            try {
                Files.write(dir.resolve(name), bytes);
            } catch (IOException x) {
                throw new QtuneException("cannot write " + dir.resolve(name) + ": " + x.getMessage(), x);
            }
        });
        write(dir, MANIFEST, manifest(target, cc.version(), files, steps.commands()), false);
        files.add(MANIFEST);
        files.sort(null);
        return new LibraryResult(dir, files, cc.version(), steps.commands(), steps.warnings(), steps.seconds());
    }

    /** Compiles every .c file to an object (in a scratch folder, removed after), archives them and links them. */
    private static LibrarySteps compile(
            Path dir, Target target, Toolchain cc, Path ar, List<String> flags, Collection<String> sources) {
        LibrarySteps steps = new LibrarySteps(dir, target, NativeBuild.timeout());
        Path objects = dir.resolve(OBJECTS);
        try {
            Files.createDirectories(objects);
            List<String> objs = new ArrayList<>();
            for (String name : sources) {
                if (name.endsWith(".c")) {
                    String o = OBJECTS + "/" + name.substring(0, name.length() - 2) + ".o";
                    steps.run(command(cc.executable().toString(), flags, "-c", name, "-o", o));
                    objs.add(o);
                }
            }
            steps.run(command(ar.toString(), List.of("rcs", STATIC_LIBRARY), objs.toArray(String[]::new)));
            List<String> link =
                    new ArrayList<>(List.of("-shared", "-Wl,-soname," + SHARED_LIBRARY, "-o", SHARED_LIBRARY));
            link.addAll(objs);
            link.add("-lm");
            steps.run(command(cc.executable().toString(), flags, link.toArray(String[]::new)));
        } catch (IOException e) {
            throw new QtuneException("cannot write in " + dir + ": " + e.getMessage(), e);
        } finally {
            FileTrees.deleteQuietly(objects);
        }
        return steps;
    }

    private static Map<String, byte[]> checkExtras(Map<String, byte[]> extraFiles, Set<String> sources) {
        Map<String, byte[]> out = new TreeMap<>(extraFiles);
        for (String name : out.keySet()) {
            if (!SAMPLE_NAME.matcher(name).matches()
                    || sources.contains(name)
                    || List.of(STATIC_LIBRARY, SHARED_LIBRARY, HEADER, EXAMPLE, README, MANIFEST, OBJECTS)
                            .contains(name)) {
                throw new IllegalArgumentException(
                        "extra file names must be plain names of files not written otherwise, " + "but one was '" + name
                                + "'");
            }
        }
        return out;
    }

    /** The module's sources a library holds: all but the runner, checked to be plain names that clash with no file of ours. */
    static Map<String, String> librarySources(CModule module) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : module.sources().entrySet()) {
            String name = e.getKey();
            if (name.equals(RUNNER)) {
                continue;
            }
            if (!SOURCE_NAME.matcher(name).matches() || List.of(HEADER, EXAMPLE).contains(name)) {
                throw new IllegalArgumentException("module source names must be plain .c, .h or .bin file names other "
                        + "than " + HEADER + " and " + EXAMPLE + ", but one was '" + name + "'");
            }
            out.put(name, e.getValue());
        }
        if (out.keySet().stream().noneMatch(n -> n.endsWith(".c"))) {
            throw new IllegalArgumentException("a library needs at least one .c source besides " + RUNNER + ", but the "
                    + "module has " + module.sources().keySet());
        }
        return out;
    }

    /**
     * The archiver of the compiler's toolchain: {@code PREFIX-ar} beside {@code PREFIX-gcc} (a
     * cross compiler), else {@code ar} on PATH.
     */
    static Path archiver(Path compiler) {
        String name = compiler.getFileName().toString();
        List<String> candidates = new ArrayList<>();
        for (String suffix : List.of("gcc", "clang", "cc")) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                candidates.add(name.substring(0, name.length() - suffix.length()) + "ar");
                break;
            }
        }
        candidates.add("ar");
        for (String c : candidates) {
            Path beside = compiler.resolveSibling(c);
            if (Files.isExecutable(beside)) {
                return beside;
            }
            Optional<Path> found = PathLookup.find(c);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new NativeBuildException(
                "no archiver for " + compiler + ": none of " + candidates + " found on PATH "
                        + "(apt-get install binutils)",
                List.of(),
                "");
    }

    private static List<String> command(String program, List<String> flags, String... rest) {
        List<String> c = new ArrayList<>();
        c.add(program);
        c.addAll(flags);
        c.addAll(List.of(rest));
        return c;
    }

    private static String manifest(Target target, String compiler, List<String> files, List<String> commands) {
        StringBuilder sb = new StringBuilder(
                "# written by qtune build; a later build into this folder replaces the files" + " listed here\n");
        sb.append("target: ").append(target.name()).append('\n');
        sb.append("compiler: ").append(LibrarySpec.plain(compiler)).append('\n');
        sb.append(FILES_LINE).append('\n');
        files.forEach(f -> sb.append("  ").append(f).append('\n'));
        sb.append("commands:\n");
        commands.forEach(c -> sb.append("  ").append(c).append('\n'));
        return sb.toString();
    }

    private static void write(Path dir, String name, String text, boolean binary) {
        try {
            // .bin entries are binary data carried in a String, one char per byte (as NativeBuild writes them)
            Files.writeString(dir.resolve(name), text, binary ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new QtuneException("cannot write " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    static String resource(String name) {
        try (InputStream in = LibraryBuild.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "missing resource " + name + " of " + LibraryBuild.class.getPackageName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.qtune.targets.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.targets.HostCpu;
import dev.qtune.targets.NativeProcess;
import dev.qtune.targets.ProcessResult;
import dev.qtune.targets.Target;
import dev.qtune.targets.Targets;
import dev.qtune.targets.Toolchain;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernel library's headers on gemmlowp's pattern (docs/codegen.md, "The kernel headers"): a
 * common header, one header per ISA that includes it and compiles on its own with its target's
 * flags (and refuses other targets), the ISA macros computed in the common header only, one
 * #if/#elif chain in qtune_kernels.h, and no include circle. Compiles with {@code -fsyntax-only};
 * a target whose compiler is missing here is skipped with the reason printed.
 */
class KernelHeadersTest {
    /** Each header of the kernel library and the target whose flags it must compile alone with. */
    private static final Map<String, String> OWN_TARGET = Map.of(
            "qtune_common.h", Targets.GENERIC_C,
            "qtune_int_kernels.h", Targets.GENERIC_C,
            "qtune_fp32_kernels.h", Targets.X86_AVX512_VNNI,
            "qtune_avx2_kernels.h", Targets.X86_AVX2,
            "qtune_vnni_kernels.h", Targets.X86_AVX512_VNNI,
            "qtune_neon_kernels.h", Targets.AARCH64_NEON_DOT,
            "qtune_kernels.h", Targets.GENERIC_C);

    /** The ISA headers, which must refuse a target without their ISA. */
    private static final List<String> ISA_HEADERS =
            List.of("qtune_avx2_kernels.h", "qtune_vnni_kernels.h", "qtune_neon_kernels.h");

    /** The compiler's own ISA macros, which only qtune_common.h may test. */
    private static final Pattern COMPILER_ISA_MACRO =
            Pattern.compile("\\b__(AVX\\w*__|SSE\\w*__|FMA__|x86_64__|aarch64__|ARM_\\w+)");

    /** Headers that still test the compiler's macros themselves (none now). */
    private static final Set<String> READS_COMPILER_MACROS = Set.of();

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern INCLUDE = Pattern.compile("^\\s*#\\s*include\\s+\"([^\"]+)\"", Pattern.MULTILINE);

    @TempDir
    static Path library;

    @BeforeAll
    static void writeLibrary() throws IOException {
        KernelLibraryFiles.write(library);
    }

    static Stream<String> headers() {
        return OWN_TARGET.keySet().stream().sorted();
    }

    static Stream<String> targets() {
        return Targets.all().stream().map(Target::name);
    }

    static Stream<String> isaHeaders() {
        return ISA_HEADERS.stream();
    }

    @Test
    void everyHeaderIsShippedAndChecked() {
        List<String> shipped = CModuleEmitter.LIBRARY.stream()
                .filter(f -> f.endsWith(".h"))
                .filter(f -> !READS_COMPILER_MACROS.contains(f))
                .sorted()
                .toList();
        assertEquals(headers().toList(), shipped, "every header the module ships has a target to compile alone with");
    }

    @ParameterizedTest
    @MethodSource("headers")
    void compilesOnItsOwnWithItsTargetsFlags(String header) {
        Target t = Targets.byName(OWN_TARGET.get(header));
        ProcessResult r = syntaxCheck(compiler(t), t, header);
        assertTrue(r.ok(), header + " alone, flags of " + t.name() + ": " + r.reason() + "\n" + r.stderr());
        assertEquals("", r.stderr().strip(), header + " alone, flags of " + t.name() + " (warnings)");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void topLevelHeaderCompilesForEveryTarget(String name) {
        Target t = Targets.byName(name);
        ProcessResult r = syntaxCheck(compiler(t), t, "qtune_kernels.h");
        assertTrue(r.ok(), "qtune_kernels.h, flags of " + name + ": " + r.reason() + "\n" + r.stderr());
        assertEquals("", r.stderr().strip(), "qtune_kernels.h, flags of " + name + " (warnings)");
    }

    /** An ISA header compiled for a target without its ISA stops at its own #error, naming itself. */
    @ParameterizedTest
    @MethodSource("isaHeaders")
    void isaHeaderRefusesATargetWithoutItsIsa(String header) {
        Target generic = Targets.byName(Targets.GENERIC_C);
        ProcessResult r = syntaxCheck(compiler(generic), generic, header);
        assertFalse(r.ok(), header + " compiled for generic-c");
        assertTrue(r.stderr().contains("#error \"" + header + " needs"), r.stderr());
    }

    @Test
    void isaMacrosAreComputedOnlyInTheCommonHeader() {
        Pattern define = Pattern.compile("#\\s*define\\s+(QT_AVX2|QT_VNNI|QT_NEON_DOT)\\b");
        for (String file : CModuleEmitter.LIBRARY) {
            String text = withoutComments(CModuleEmitter.resource(file));
            if (file.equals("qtune_common.h")) {
                assertTrue(define.matcher(text).find(), "qtune_common.h defines the ISA macros");
                continue;
            }
            assertFalse(define.matcher(text).find(), file + " defines an ISA macro");
            if (file.endsWith(".h") && !READS_COMPILER_MACROS.contains(file)) {
                Matcher m = COMPILER_ISA_MACRO.matcher(text);
                assertFalse(
                        m.find(),
                        () -> file + " tests the compiler's " + m.group() + " (use QT_AVX2, QT_VNNI, "
                                + "QT_NEON_DOT of qtune_common.h)");
            }
        }
    }

    /** The ISA headers are included in one place: the #if/#elif chain at the end of qtune_kernels.h. */
    @Test
    void isaHeadersAreIncludedOnlyByTheChain() {
        Map<String, List<String>> includes = includeGraph();
        for (String isa : ISA_HEADERS) {
            List<String> by = includes.entrySet().stream()
                    .filter(e -> e.getValue().contains(isa))
                    .map(Map.Entry::getKey)
                    .toList();
            // the VNNI kernels build on the AVX2 ones
            List<String> expected = isa.equals("qtune_avx2_kernels.h")
                    ? List.of("qtune_kernels.h", "qtune_vnni_kernels.h")
                    : List.of("qtune_kernels.h");
            assertEquals(expected, by.stream().sorted().toList(), isa + " is included by");
        }
        String top = withoutComments(CModuleEmitter.resource("qtune_kernels.h"));
        int chain = top.indexOf("#if QT_VNNI");
        assertTrue(
                chain > 0 && top.lastIndexOf("#include") > chain,
                "qtune_kernels.h includes last in its chain:\n" + top);
    }

    @Test
    void noHeaderIncludesItselfThroughOthers() {
        Map<String, List<String>> includes = includeGraph();
        for (String file : includes.keySet()) {
            for (String inc : includes.get(file)) {
                assertTrue(includes.containsKey(inc), file + " includes " + inc + ", which the module does not ship");
            }
        }
        for (String start : includes.keySet()) {
            List<String> path = new ArrayList<>(List.of(start));
            assertFalse(
                    reaches(includes, start, start, path, new HashSet<>()),
                    () -> "include circle: " + String.join(" -> ", path));
        }
    }

    private static boolean reaches(
            Map<String, List<String>> g, String from, String target, List<String> path, Set<String> seen) {
        for (String next : g.getOrDefault(from, List.of())) {
            path.add(next);
            if (next.equals(target) || seen.add(next) && reaches(g, next, target, path, seen)) {
                return true;
            }
            path.remove(path.size() - 1);
        }
        return false;
    }

    /** Library file -> the library files it includes ("..." includes). */
    private static Map<String, List<String>> includeGraph() {
        Map<String, List<String>> g = new TreeMap<>();
        for (String file : CModuleEmitter.LIBRARY) {
            Matcher m = INCLUDE.matcher(withoutComments(CModuleEmitter.resource(file)));
            List<String> inc = new ArrayList<>();
            while (m.find()) {
                inc.add(m.group(1));
            }
            g.put(file, inc);
        }
        return g;
    }

    private static String withoutComments(String c) {
        return c.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ");
    }

    /** The target's C compiler, or the test is skipped (aborted) saying why. */
    private static Toolchain compiler(Target t) {
        boolean cross = !t.compilerCommand().equals("gcc");
        KernelLibraryFiles.skipUnless(
                cross || t.arch().equals(HostCpu.hostArch()),
                t,
                "the host's gcc builds for " + HostCpu.hostArch() + ", not " + t.arch());
        var tc = Toolchain.find(t);
        KernelLibraryFiles.skipUnless(
                tc.isPresent(), t, t.compilerCommand() + " not found (" + Toolchain.installHint(t) + ")");
        return tc.orElseThrow();
    }

    /** {@code cc -fsyntax-only -Werror} of one header as the main file, with the target's flags. */
    private static ProcessResult syntaxCheck(Toolchain tc, Target t, String header) {
        List<String> cmd = new ArrayList<>();
        cmd.add(tc.executable().toString());
        cmd.addAll(t.compilerFlags());
        cmd.addAll(List.of(
                "-fsyntax-only",
                "-Werror",
                "-I",
                library.toString(),
                "-x",
                "c",
                library.resolve(header).toString()));
        return NativeProcess.run(cmd, TIMEOUT, library, Map.of());
    }
}

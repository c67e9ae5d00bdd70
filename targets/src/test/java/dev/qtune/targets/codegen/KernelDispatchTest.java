package dev.qtune.targets.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qtune.targets.HostCpu;
import dev.qtune.targets.ProcessResult;
import dev.qtune.targets.RunMode;
import dev.qtune.targets.Target;
import dev.qtune.targets.TargetFeatures;
import dev.qtune.targets.Targets;
import dev.qtune.targets.Toolchain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java choice of kernel agrees with the kernel library's C dispatch: for each target, a small
 * C program built with the target's flags includes qtune_kernels.h and prints what the headers
 * decided (the ISA branch of the #if/#elif chain, whether the fast fp32 kernels exist and their
 * lanes, whether the AVX2 depthwise kernel exists) and, for a grid of oc_block x dot, what the
 * chosen ISA's {@code qt_conv_takes_<isa>} says; the test compares each line with the target's
 * {@link TargetFeatures} ({@code Isa.convTakes}, which IntConvEmitter calls). The program runs
 * where the target runs (natively, or under qemu); elsewhere it is only compiled, and the test is
 * skipped saying so. A target whose compiler is missing here is skipped with the reason printed.
 */
class KernelDispatchTest {
    private static final int MAX_OC_BLOCK = 96;

    /**
     * Prints the headers' decisions. The ISA is read from the guard of the ISA header the chain
     * included (the VNNI header includes the AVX2 one, so it is tested first).
     */
    private static final String PROBE = """
            #include "qtune_kernels.h"

            #if defined(QTUNE_VNNI_KERNELS_H)
            #define QT_PROBE_ISA "vnni"
            #define QT_PROBE_TAKES(a) qt_conv_takes_vnni(a)
            #elif defined(QTUNE_AVX2_KERNELS_H)
            #define QT_PROBE_ISA "avx2"
            #define QT_PROBE_TAKES(a) qt_conv_takes_avx2(a)
            #elif defined(QTUNE_NEON_KERNELS_H)
            #define QT_PROBE_ISA "neon"
            #define QT_PROBE_TAKES(a) qt_conv_takes_neon(a)
            #else
            #define QT_PROBE_ISA "generic"
            #define QT_PROBE_TAKES(a) qt_conv_takes_generic(a)
            #endif

            int main(void) {
                printf("isa %s\\n", QT_PROBE_ISA);
            #if defined(QT_FAST_FP32)
                printf("fast_fp32 1 lanes %d\\n", QT_FLANES);
            #else
                printf("fast_fp32 0 lanes 0\\n");
            #endif
            #if defined(QTUNE_AVX2_KERNELS_H)
                printf("avx2_kernels 1\\n");
            #else
                printf("avx2_kernels 0\\n");
            #endif
                for (int dot = 8; dot <= 16; dot += 8) {
                    for (int ob = 1; ob <= @MAX_OB@; ob++) {
                        qt_conv_args a;
                        memset(&a, 0, sizeof a);
                        a.OB = ob;
                        a.DOT = dot;
                        printf("takes dot %d ob %d %d\\n", dot, ob, QT_PROBE_TAKES(&a) ? 1 : 0);
                    }
                }
                return 0;
            }
            """.replace("@MAX_OB@", Integer.toString(MAX_OC_BLOCK));

    @TempDir
    static Path library;

    @BeforeAll
    static void writeLibrary() throws IOException {
        KernelLibraryFiles.write(library);
        Files.writeString(library.resolve("probe.c"), PROBE, StandardCharsets.UTF_8);
    }

    static Stream<String> targets() {
        return Targets.all().stream().map(Target::name);
    }

    @ParameterizedTest
    @MethodSource("targets")
    void javaKernelChoiceMatchesTheCDispatch(String name) {
        Target t = Targets.byName(name);
        Toolchain tc = compiler(t);
        Path exe = KernelLibraryFiles.compile(tc, t, library, "probe.c", "probe-" + name);
        HostCpu host = HostCpu.detect();
        KernelLibraryFiles.skipUnless(
                host.runMode(t) != RunMode.NONE,
                t,
                "the dispatch probe compiled with its flags, but cannot run " + "here (compile-only): "
                        + host.whyNot(t));
        ProcessResult r = KernelLibraryFiles.run(host, t, exe);
        assertEquals(
                List.of(),
                differences(expected(t.features()), r.stdout().strip().lines().toList()),
                "lines where the C dispatch and the Java features of " + name + " disagree");
    }

    /** Each line where the two differ, as "Java: ... / C: ...". */
    private static List<String> differences(List<String> java, List<String> c) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.max(java.size(), c.size()); i++) {
            String j = i < java.size() ? java.get(i) : "(none)";
            String k = i < c.size() ? c.get(i) : "(none)";
            if (!j.equals(k)) {
                out.add("Java: " + j + " / C: " + k);
            }
        }
        return out;
    }

    /** What the probe must print for a target with these features. */
    private static List<String> expected(TargetFeatures f) {
        List<String> lines = new ArrayList<>();
        lines.add("isa " + f.isa().entries());
        lines.add("fast_fp32 " + (f.fastFp32() ? 1 : 0) + " lanes " + (f.fastFp32() ? f.int32Lanes() : 0));
        lines.add("avx2_kernels " + (f.isa().hasAvx2Kernels() ? 1 : 0));
        for (int dot = 8; dot <= 16; dot += 8) {
            for (int ob = 1; ob <= MAX_OC_BLOCK; ob++) {
                lines.add("takes dot " + dot + " ob " + ob + " " + (f.isa().convTakes(ob, dot) ? 1 : 0));
            }
        }
        return lines;
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
}

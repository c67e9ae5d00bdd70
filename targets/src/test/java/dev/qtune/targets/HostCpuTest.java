package dev.qtune.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class HostCpuTest {
    static final String INTEL_VNNI = """
            processor\t: 0
            vendor_id\t: GenuineIntel
            model name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz
            flags\t\t: fpu sse sse2 ssse3 fma avx avx2 bmi2 avx512f avx512dq avx512bw avx512vl avx512_vnni avx512_vbmi
            cpu cores\t: 2

            processor\t: 1
            vendor_id\t: GenuineIntel
            model name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz
            flags\t\t: fpu sse sse2 ssse3 fma avx avx2 bmi2 avx512f avx512dq avx512bw avx512vl avx512_vnni avx512_vbmi
            """;
    static final String AMD_AVX2 = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC
            flags\t\t: fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c bmi1 avx2 bmi2 sha_ni vaes
            """;
    static final String ARM_DOTPROD = """
            processor\t: 0
            BogoMIPS\t: 243.75
            Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp ssbs
            CPU implementer\t: 0x41
            CPU architecture: 8
            CPU part\t: 0xd0c

            processor\t: 1
            BogoMIPS\t: 243.75
            Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp ssbs
            CPU implementer\t: 0x41
            CPU architecture: 8
            CPU part\t: 0xd0c
            """;
    static final Predicate<String> NOTHING_ON_PATH = c -> false;
    static final Predicate<String> CROSS_TOOLS = Set.of("aarch64-linux-gnu-gcc", "qemu-aarch64-static")::contains;

    @Test
    void parsesAnIntelVnniCpu() {
        HostCpu cpu = HostCpu.parse(INTEL_VNNI, "amd64");
        assertEquals("x86_64", cpu.arch());
        assertEquals("Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz", cpu.modelName());
        assertEquals(2, cpu.cores());
        assertTrue(cpu.flags().containsAll(List.of("avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni")));
        for (Target t : Targets.forHost("x86_64").subList(0, 3)) {
            assertEquals(RunMode.NATIVE, cpu.runMode(t, NOTHING_ON_PATH), t.name());
            assertEquals("", cpu.whyNot(t, NOTHING_ON_PATH), t.name());
        }
    }

    @Test
    void anAvx2OnlyCpuRunsAvx2ButNotVnni() {
        HostCpu cpu = HostCpu.parse(AMD_AVX2, "x86_64");
        assertEquals("AMD EPYC", cpu.modelName());
        assertEquals(1, cpu.cores());
        List<Target> targets = Targets.forHost("x86_64");
        assertEquals(RunMode.NATIVE, cpu.runMode(Targets.find(targets, "generic-c"), NOTHING_ON_PATH));
        assertEquals(RunMode.NATIVE, cpu.runMode(Targets.find(targets, "x86-avx2"), NOTHING_ON_PATH));
        Target vnni = Targets.find(targets, "x86-avx512-vnni");
        assertEquals(RunMode.NONE, cpu.runMode(vnni, NOTHING_ON_PATH));
        assertEquals(
                "this CPU (AMD EPYC) lacks avx512f, avx512bw, avx512vl, avx512_vnni",
                cpu.whyNot(vnni, NOTHING_ON_PATH));
    }

    @Test
    void parsesAnAarch64CpuWithDotProduct() {
        HostCpu cpu = HostCpu.parse(ARM_DOTPROD, "aarch64");
        assertEquals("aarch64", cpu.arch());
        assertEquals("aarch64 CPU (implementer 0x41, part 0xd0c)", cpu.modelName());
        assertEquals(2, cpu.cores());
        assertTrue(cpu.flags().contains("asimddp"));
        List<Target> targets = Targets.forHost("aarch64");
        assertEquals(RunMode.NATIVE, cpu.runMode(Targets.find(targets, "aarch64-neon-dot"), NOTHING_ON_PATH));
        assertEquals(RunMode.NATIVE, cpu.runMode(Targets.find(targets, "generic-c"), NOTHING_ON_PATH));
        Target avx2 = Targets.find(targets, "x86-avx2");
        assertEquals(RunMode.NONE, cpu.runMode(avx2, CROSS_TOOLS));
        assertEquals("this CPU is aarch64 and x86-avx2 needs x86_64", cpu.whyNot(avx2, CROSS_TOOLS));
    }

    @Test
    void flagsAreThoseEveryProcessorHas() {
        String mixed = "processor : 0\nflags : a b c\n\nprocessor : 1\nflags : a c d\n";
        assertEquals(Set.of("a", "c"), HostCpu.parse(mixed, "x86_64").flags());
    }

    @Test
    void missingCpuinfoGivesNoFlags() {
        HostCpu cpu = HostCpu.parse("", "x86_64");
        assertEquals(Set.of(), cpu.flags());
        assertEquals("unknown CPU", cpu.modelName());
        assertEquals(RunMode.NONE, cpu.runMode(Targets.find(Targets.forHost("x86_64"), "x86-avx2"), NOTHING_ON_PATH));
        assertEquals(
                RunMode.NATIVE, cpu.runMode(Targets.find(Targets.forHost("x86_64"), "generic-c"), NOTHING_ON_PATH));
    }

    @Test
    void aarch64OnX86IsEmulatedOnlyWithCrossCompilerAndQemu() {
        HostCpu cpu = HostCpu.parse(AMD_AVX2, "x86_64");
        Target neon = Targets.find(Targets.forHost("x86_64"), "aarch64-neon-dot");
        assertEquals(RunMode.EMULATED, cpu.runMode(neon, CROSS_TOOLS));
        assertTrue(
                cpu.whyNot(neon, CROSS_TOOLS).contains("runs under qemu-aarch64-static (correctness only"),
                cpu.whyNot(neon, CROSS_TOOLS));
        assertEquals(RunMode.NONE, cpu.runMode(neon, NOTHING_ON_PATH));
        assertEquals(
                "aarch64-linux-gnu-gcc not found (apt-get install gcc-aarch64-linux-gnu qemu-user)",
                cpu.whyNot(neon, NOTHING_ON_PATH));
        Predicate<String> compilerOnly = "aarch64-linux-gnu-gcc"::equals;
        assertEquals(RunMode.NONE, cpu.runMode(neon, compilerOnly));
        assertEquals("qemu-aarch64 not found (apt-get install qemu-user)", cpu.whyNot(neon, compilerOnly));
    }

    @Test
    void normalisesTheJvmArchNames() {
        assertEquals("x86_64", HostCpu.normaliseArch("amd64"));
        assertEquals("x86_64", HostCpu.normaliseArch("x86_64"));
        assertEquals("aarch64", HostCpu.normaliseArch("aarch64"));
        assertEquals("aarch64", HostCpu.normaliseArch("arm64"));
        assertEquals("ppc64le", HostCpu.normaliseArch("ppc64le"));
    }

    @Test
    void detectDescribesThisHost() {
        HostCpu cpu = HostCpu.detect();
        assertEquals(HostCpu.hostArch(), cpu.arch());
        assertTrue(cpu.cores() >= 1);
        assertFalse(cpu.modelName().isBlank());
        assertEquals(RunMode.NATIVE, cpu.runMode(Targets.byName("generic-c")));
        assertEquals(List.of(), cpu.launcher(Targets.byName("generic-c")));
    }

    @Test
    void launcherRefusesATargetThatDoesNotRunHere() {
        HostCpu cpu = HostCpu.detect();
        for (Target t : Targets.all()) {
            if (cpu.runMode(t) == RunMode.NONE) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cpu.launcher(t));
                assertTrue(e.getMessage().contains(cpu.whyNot(t)), e.getMessage());
            }
        }
    }
}

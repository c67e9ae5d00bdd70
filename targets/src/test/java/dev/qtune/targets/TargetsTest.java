package dev.qtune.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsTest {
    @Test
    void allListsTheFourTargetsInOrder() {
        assertEquals(
                List.of("generic-c", "x86-avx2", "x86-avx512-vnni", "aarch64-neon-dot"),
                Targets.all().stream().map(Target::name).toList());
    }

    @Test
    void byNameFindsATarget() {
        Target t = Targets.byName("x86-avx512-vnni");
        assertEquals("x86_64", t.arch());
        assertEquals(64, t.vectorBytes());
        assertEquals(List.of("avx512f", "avx512bw", "avx512vl", "avx512_vnni"), t.requiredCpuFlags());
        assertTrue(t.compilerFlags().containsAll(List.of("-mavx512vnni", "-mavx512bw", "-mavx512vl", "-mavx512f")));
    }

    @Test
    void unknownNameListsTheKnownTargets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Targets.byName("x"));
        assertEquals(
                "unknown target 'x'; known targets: generic-c, x86-avx2, x86-avx512-vnni, aarch64-neon-dot",
                e.getMessage());
    }

    @Test
    void everyTargetCompilesWithoutFmaContractionOrFastMath() {
        for (Target t : Targets.all()) {
            assertEquals(Targets.BASE_FLAGS, t.compilerFlags().subList(0, Targets.BASE_FLAGS.size()), t.name());
            assertTrue(t.compilerFlags().contains("-ffp-contract=off"), t.name());
            assertTrue(t.compilerFlags().stream().noneMatch(f -> f.startsWith("-march=native")), t.name());
            assertTrue(!t.arithmeticLimits().isEmpty() && !t.description().isBlank(), t.name());
        }
    }

    @Test
    void avx2TargetStatesItsInt16Saturation() {
        Target t = Targets.byName("x86-avx2");
        assertEquals(
                List.of("-mavx2", "-mfma", "-mbmi2"),
                t.compilerFlags()
                        .subList(Targets.BASE_FLAGS.size(), t.compilerFlags().size()));
        assertTrue(
                t.arithmeticLimits().get(0).contains("|a0*w0 + a1*w1| <= 32767"),
                t.arithmeticLimits().toString());
    }

    @Test
    void genericAndNeonDependOnTheHostArch() {
        List<Target> onX86 = Targets.forHost("x86_64");
        List<Target> onArm = Targets.forHost("aarch64");
        assertEquals("x86_64", Targets.find(onX86, "generic-c").arch());
        assertEquals("aarch64", Targets.find(onArm, "generic-c").arch());
        assertEquals(
                "aarch64-linux-gnu-gcc", Targets.find(onX86, "aarch64-neon-dot").compilerCommand());
        assertEquals("gcc", Targets.find(onArm, "aarch64-neon-dot").compilerCommand());
        assertEquals(List.of("asimddp"), Targets.find(onArm, "aarch64-neon-dot").requiredCpuFlags());
    }

    @Test
    void targetValidatesItsFields() {
        TargetFeatures portable = TargetFeatures.portable(16);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new Target("t", "riscv64", List.of(), List.of(), "gcc", "", portable));
        assertEquals("target arch must be x86_64 or aarch64, but was 'riscv64'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TargetFeatures(Isa.AVX2, 24, true));
        assertEquals("vectorBytes must be a positive power of two, but was 24", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new Target(
                        "t", "x86_64", List.of(), List.of(), "gcc", "", new TargetFeatures(Isa.NEON_DOT, 16, false)));
        assertEquals("isa of target t must run on x86_64, but was NEON_DOT", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TargetFeatures(Isa.NEON_DOT, 16, true));
        assertEquals("fastFp32 needs an x86 isa (AVX2 or AVX512_VNNI), but isa was NEON_DOT", e.getMessage());
    }

    @Test
    void everyTargetCarriesItsFeatures() {
        assertEquals(
                List.of(
                        new TargetFeatures(Isa.GENERIC, 16, false),
                        new TargetFeatures(Isa.AVX2, 32, true),
                        new TargetFeatures(Isa.AVX512_VNNI, 64, true),
                        new TargetFeatures(Isa.NEON_DOT, 16, false)),
                Targets.all().stream().map(Target::features).toList());
        assertEquals(
                List.of(4, 8, 16, 4),
                Targets.all().stream().map(t -> t.features().int32Lanes()).toList());
        assertEquals(
                List.of(Dot8Kind.NONE, Dot8Kind.VPMADDUBSW, Dot8Kind.VPDPBUSD, Dot8Kind.SDOT),
                Targets.all().stream().map(t -> t.features().dot8()).toList());
    }

    @Test
    void arithmeticLimitsFollowFromTheFeatures() {
        Target vnni = Targets.byName(Targets.X86_AVX512_VNNI);
        assertEquals(
                List.of(
                        "vpdpbusd accumulates u8*s8 products in int32 exactly (no int16 saturation)",
                        "fp32: FMA kernels in their own order, within 1e-5 relative of the Java interpreter"),
                vnni.arithmeticLimits());
        assertTrue(Targets.byName(Targets.AARCH64_NEON_DOT)
                .arithmeticLimits()
                .get(1)
                .contains("bit-exact"));
    }

    /** {@code auto}: an AVX2-only host, a VNNI host and aarch64 hosts, from their /proc/cpuinfo. */
    @Test
    void bestNativeTargetFollowsTheHostsCpuinfo() {
        assertEquals(
                Targets.X86_AVX2,
                best(x86("fpu sse sse2 ssse3 sse4_1 sse4_2 avx avx2 fma bmi2 " + "popcnt"), HostCpu.X86_64)
                        .name());
        assertEquals(
                Targets.X86_AVX512_VNNI,
                best(
                                x86("fpu sse2 avx avx2 fma bmi2 avx512f avx512dq avx512bw "
                                        + "avx512vl avx512_vnni avx512cd"),
                                HostCpu.X86_64)
                        .name());
        Target arm = best(
                "processor\t: 0\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp "
                        + "asimdhp cpuid asimdrdm lrcpc dcpop asimddp ssbs\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n"
                        + "processor\t: 1\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp "
                        + "cpuid asimdrdm lrcpc dcpop asimddp ssbs\n",
                HostCpu.AARCH64);
        assertEquals(Targets.AARCH64_NEON_DOT, arm.name());
        assertEquals("gcc", arm.compilerCommand(), "on an aarch64 host the target builds with its own gcc");
    }

    @Test
    void bestNativeFallsBackToPortableCOnTheHostsArch() {
        assertEquals(
                Targets.GENERIC_C,
                best(x86("fpu sse sse2 ssse3 avx"), HostCpu.X86_64).name());
        Target oldArm = best("processor\t: 0\nFeatures\t: fp asimd evtstrm crc32 cpuid\n", HostCpu.AARCH64);
        assertEquals(List.of(Targets.GENERIC_C, HostCpu.AARCH64), List.of(oldArm.name(), oldArm.arch()));
        assertTrue(Targets.bestNative(HostCpu.parse("processor\t: 0\nisa\t: rv64imafdc\n", "riscv64"))
                .isEmpty());
    }

    private static String x86(String flags) {
        return "processor\t: 0\nmodel name\t: Test CPU\nflags\t\t: " + flags + "\nprocessor\t: 1\n"
                + "model name\t: Test CPU\nflags\t\t: " + flags + "\n";
    }

    private static Target best(String cpuinfo, String arch) {
        return Targets.bestNative(HostCpu.parse(cpuinfo, arch)).orElseThrow();
    }
}

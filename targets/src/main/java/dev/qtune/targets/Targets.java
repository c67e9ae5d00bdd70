package dev.qtune.targets;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The targets qtune knows: {@code generic-c}, {@code x86-avx2}, {@code x86-avx512-vnni} and
 * {@code aarch64-neon-dot}, described for this host (generic-c builds for the host's arch, and
 * aarch64-neon-dot uses a cross compiler on an x86_64 host).
 */
public final class Targets {
    public static final String GENERIC_C = "generic-c";
    public static final String X86_AVX2 = "x86-avx2";
    public static final String X86_AVX512_VNNI = "x86-avx512-vnni";
    public static final String AARCH64_NEON_DOT = "aarch64-neon-dot";

    /**
     * Flags every target shares. -ffp-contract=off and -fno-fast-math are essential: the exact fp32
     * kernels must match the Java interpreter bit for bit, so the compiler may not fuse a*b+c into an
     * FMA (the x86 targets' fast fp32 kernels use FMA explicitly, within docs/codegen.md's tolerance).
     */
    public static final List<String> BASE_FLAGS =
            List.of("-O3", "-std=c11", "-ffp-contract=off", "-fno-fast-math", "-fopenmp", "-Wall", "-Wextra");

    /** The cross compiler used for aarch64 on an x86_64 host. */
    public static final String AARCH64_CROSS_COMPILER = "aarch64-linux-gnu-gcc";

    /** The name that experiment files and commands give for the host's {@link #bestNative} target. */
    public static final String AUTO = "auto";

    /** ISAs in order of preference for {@link #bestNative}: the fastest int8 path first. */
    private static final List<Isa> PREFERENCE = List.of(Isa.AVX512_VNNI, Isa.AVX2, Isa.NEON_DOT, Isa.GENERIC);

    private static final List<Target> ALL = forHost(HostCpu.hostArch());

    private Targets() {}

    /** The four targets, described for this host. */
    public static List<Target> all() {
        return ALL;
    }

    /** The target of that name; an IllegalArgumentException listing the known names otherwise. */
    public static Target byName(String name) {
        return find(ALL, name);
    }

    static Target find(List<Target> targets, String name) {
        for (Target t : targets) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown target '" + name + "'; known targets: "
                + targets.stream().map(Target::name).collect(Collectors.joining(", ")));
    }

    /** The four targets as seen from a host of the given arch ({@code x86_64} or {@code aarch64}). */
    static List<Target> forHost(String hostArch) {
        String genericArch = HostCpu.AARCH64.equals(hostArch) ? HostCpu.AARCH64 : HostCpu.X86_64;
        return List.of(
                new Target(
                        GENERIC_C,
                        genericArch,
                        List.of(),
                        BASE_FLAGS,
                        "gcc",
                        "portable C11 that the compiler vectorises for the baseline ISA (no -march): runs on any "
                                + genericArch + " host",
                        new TargetFeatures(Isa.GENERIC, 16, false)),
                new Target(
                        X86_AVX2,
                        HostCpu.X86_64,
                        List.of("avx2", "fma"),
                        flags("-mavx2", "-mfma", "-mbmi2"),
                        "gcc",
                        "x86-64 with AVX2 and FMA (Haswell, Zen and later): 256-bit vectors, int8 through vpmaddubsw",
                        new TargetFeatures(Isa.AVX2, 32, true)),
                new Target(
                        X86_AVX512_VNNI,
                        HostCpu.X86_64,
                        List.of("avx512f", "avx512bw", "avx512vl", "avx512_vnni"),
                        flags("-mavx2", "-mfma", "-mavx512f", "-mavx512bw", "-mavx512vl", "-mavx512vnni"),
                        "gcc",
                        "x86-64 with AVX-512 VNNI (Cascade Lake, Ice Lake, Sapphire Rapids, Zen 4): 512-bit vectors, "
                                + "int8 through vpdpbusd",
                        new TargetFeatures(Isa.AVX512_VNNI, 64, true)),
                new Target(
                        AARCH64_NEON_DOT,
                        HostCpu.AARCH64,
                        List.of("asimddp"),
                        flags("-march=armv8.2-a+dotprod"),
                        HostCpu.AARCH64.equals(hostArch) ? "gcc" : AARCH64_CROSS_COMPILER,
                        "AArch64 NEON with the dot-product extension (Armv8.2-A+dotprod: Cortex-A76, Neoverse N1, "
                                + "Graviton 2, Apple M1): 128-bit vectors, int8 through sdot/udot",
                        new TargetFeatures(Isa.NEON_DOT, 16, false)));
    }

    /**
     * The host's best target that runs natively on it (what experiment files and commands call
     * {@code auto}): the first of AVX-512 VNNI, AVX2, NEON dot product and portable C whose target
     * the host runs natively, described for the host's arch; empty when none does (an arch qtune
     * has no target for).
     */
    public static Optional<Target> bestNative(HostCpu host) {
        List<Target> targets = forHost(host.arch());
        for (Isa isa : PREFERENCE) {
            for (Target t : targets) {
                if (t.features().isa() == isa && host.runMode(t) == RunMode.NATIVE) {
                    return Optional.of(t);
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> flags(String... extra) {
        List<String> all = new ArrayList<>(BASE_FLAGS);
        all.addAll(List.of(extra));
        return List.copyOf(all);
    }
}

package dev.qtune.targets;

import java.util.List;
import java.util.Objects;

/**
 * One code-generation target: an ISA and how to build for it.
 *
 * @param name              stable identifier, e.g. {@code x86-avx2} (used on the command line and in provenance)
 * @param arch              the machine architecture binaries run on: {@code x86_64} or {@code aarch64}
 * @param requiredCpuFlags  CPU feature flags, as /proc/cpuinfo spells them, that a host needs to run
 *                          the binaries natively (e.g. {@code avx2}, {@code avx512_vnni}, {@code asimddp})
 * @param compilerFlags     every flag passed to the C compiler (shared base flags first)
 * @param compilerCommand   the C compiler's command name, looked up on PATH ({@code gcc}, or a cross compiler)
 * @param description       one line for people
 * @param vectorBytes       the SIMD register width the emitter should plan for, in bytes
 * @param arithmeticLimits  the integer/float behaviour that the quantizer and the search must respect
 *                          so that every choice is computed exactly on this target
 */
public record Target(String name, String arch, List<String> requiredCpuFlags, List<String> compilerFlags,
                     String compilerCommand, String description, int vectorBytes, List<String> arithmeticLimits) {
    public Target {
        requireText("name", name);
        requireText("arch", arch);
        if (!arch.equals(HostCpu.X86_64) && !arch.equals(HostCpu.AARCH64)) {
            throw new IllegalArgumentException("target arch must be " + HostCpu.X86_64 + " or " + HostCpu.AARCH64
                    + ", but was '" + arch + "'");
        }
        requiredCpuFlags = List.copyOf(Objects.requireNonNull(requiredCpuFlags, "requiredCpuFlags"));
        compilerFlags = List.copyOf(Objects.requireNonNull(compilerFlags, "compilerFlags"));
        requireText("compilerCommand", compilerCommand);
        description = Objects.requireNonNull(description, "description");
        if (vectorBytes <= 0 || Integer.bitCount(vectorBytes) != 1) {
            throw new IllegalArgumentException("vectorBytes of target " + name
                    + " must be a positive power of two, but was " + vectorBytes);
        }
        arithmeticLimits = List.copyOf(Objects.requireNonNull(arithmeticLimits, "arithmeticLimits"));
    }

    private static void requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("target " + what + " must be non-blank, but was '" + value + "'");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}

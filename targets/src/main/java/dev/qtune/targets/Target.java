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
 * @param features          what the code may use (ISA, vector width, fast fp32): the only thing the code
 *                          generator decides kernels by; its ISA must run on {@code arch}
 */
public record Target(
        String name,
        String arch,
        List<String> requiredCpuFlags,
        List<String> compilerFlags,
        String compilerCommand,
        String description,
        TargetFeatures features) {
    public Target {
        requireText("name", name);
        requireText("arch", arch);
        if (!arch.equals(HostCpu.X86_64) && !arch.equals(HostCpu.AARCH64)) {
            throw new IllegalArgumentException(
                    "target arch must be " + HostCpu.X86_64 + " or " + HostCpu.AARCH64 + ", but was '" + arch + "'");
        }
        requiredCpuFlags = List.copyOf(Objects.requireNonNull(requiredCpuFlags, "requiredCpuFlags"));
        compilerFlags = List.copyOf(Objects.requireNonNull(compilerFlags, "compilerFlags"));
        requireText("compilerCommand", compilerCommand);
        description = Objects.requireNonNull(description, "description");
        Objects.requireNonNull(features, "features");
        if (!features.isa().runsOn(arch)) {
            throw new IllegalArgumentException(
                    "isa of target " + name + " must run on " + arch + ", but was " + features.isa());
        }
    }

    /** The SIMD register width the emitter plans for, in bytes. */
    public int vectorBytes() {
        return features.vectorBytes();
    }

    /**
     * The integer/float behaviour that the quantizer and the search must respect so that every
     * choice is computed exactly on this target (from its features), in words.
     */
    public List<String> arithmeticLimits() {
        return features.arithmeticLimits();
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

package dev.qtune.targets;

import java.util.List;
import java.util.Objects;

/**
 * What a target's code can use, as data the code generator decides by (never the target's name or
 * flags): its ISA (the kernel library's branch and SIMD kernels), the vector width the emitter
 * plans for, and whether fp32 layers take the fast FMA kernels. Its arithmetic limits follow
 * from these. {@code KernelDispatchTest} checks each target's features against what the kernel
 * headers compute from the target's compiler flags.
 *
 * @param isa         the instruction set the code runs (and with it the 8-bit dot product, {@link #dot8()})
 * @param vectorBytes the SIMD register width the emitter plans for, in bytes (a power of two)
 * @param fastFp32    whether fp32 layers take the fast FMA kernels (x86 AVX2 or wider, built with FMA),
 *                    within docs/codegen.md's tolerance, instead of the interpreter's exact order
 */
public record TargetFeatures(Isa isa, int vectorBytes, boolean fastFp32) {
    private static final String FP32_EXACT =
            "fp32: IEEE single precision in source order, no FMA contraction, bit-exact with the Java interpreter";
    private static final String FP32_FAST =
            "fp32: FMA kernels in their own order, within 1e-5 relative of the Java " + "interpreter";

    public TargetFeatures {
        Objects.requireNonNull(isa, "isa");
        if (vectorBytes <= 0 || Integer.bitCount(vectorBytes) != 1) {
            throw new IllegalArgumentException("vectorBytes must be a positive power of two, but was " + vectorBytes);
        }
        if (fastFp32 && !isa.hasAvx2Kernels()) {
            throw new IllegalArgumentException("fastFp32 needs an x86 isa (AVX2 or AVX512_VNNI), but isa was " + isa);
        }
    }

    /** Portable code for vectors of {@code vectorBytes}: no SIMD kernel, the interpreter's fp32 order. */
    public static TargetFeatures portable(int vectorBytes) {
        return new TargetFeatures(Isa.GENERIC, vectorBytes, false);
    }

    /** The 8-bit dot product of the ISA. */
    public Dot8Kind dot8() {
        return isa.dot8();
    }

    /** The int32 lanes the kernels block output channels by: a vector's worth, at least 4. */
    public int int32Lanes() {
        return Math.max(4, vectorBytes / 4);
    }

    /**
     * The integer and float behaviour that the quantizer and the search must respect so that every
     * choice is computed exactly on the target, in words: the 8-bit dot's, then fp32's.
     */
    public List<String> arithmeticLimits() {
        return List.of(dot8().limit(), fastFp32 ? FP32_FAST : FP32_EXACT);
    }
}

package dev.qtune.targets;

/**
 * The instruction set a target's generated code runs: which branch of the kernel library's one
 * {@code #if/#elif} chain (qtune_kernels.h) its flags select, and so which SIMD kernels exist for
 * it. The predicates here restate, in Java, the C hooks of that ISA's header
 * ({@code qt_conv_takes_<entries>}); {@code KernelDispatchTest} compiles the headers with each
 * target's flags and checks that both say the same.
 */
public enum Isa {
    /** Portable C only ({@code QT_DEFINE_INT_ENTRIES(generic)}): no SIMD kernel takes a layer. */
    GENERIC("generic", Dot8Kind.NONE),
    /** x86 AVX2 ({@code QT_AVX2}): the AVX2 direct kernel (both dots) and depthwise kernel. */
    AVX2("avx2", Dot8Kind.VPMADDUBSW),
    /** x86 AVX-512 VNNI with BW and VL ({@code QT_VNNI}): the VNNI kernels on top of the AVX2 ones. */
    AVX512_VNNI("vnni", Dot8Kind.VPDPBUSD),
    /** AArch64 with the dot product ({@code QT_NEON_DOT}): the NEON sdot kernel for dot 8. */
    NEON_DOT("neon", Dot8Kind.SDOT);

    private final String entries;
    private final Dot8Kind dot8;

    Isa(String entries, Dot8Kind dot8) {
        this.entries = entries;
        this.dot8 = dot8;
    }

    /** The name the kernel library binds its integer entries to: {@code QT_DEFINE_INT_ENTRIES(<entries>)}. */
    public String entries() {
        return entries;
    }

    /** The 8-bit dot product this ISA's kernels compute with. */
    public Dot8Kind dot8() {
        return dot8;
    }

    /** Whether the ISA's header is built on the AVX2 one (x86 targets): its depthwise kernel and vectorised steps. */
    public boolean hasAvx2Kernels() {
        return this == AVX2 || this == AVX512_VNNI;
    }

    /**
     * Whether the direct convolution of a layer with output-channel block {@code ocBlock} and dot
     * {@code dot} (8 or 16) runs this ISA's SIMD kernel rather than the portable one:
     * {@code qt_conv_takes_<entries>} of the kernel library.
     */
    public boolean convTakes(int ocBlock, int dot) {
        return switch (this) {
            case GENERIC -> false;
            case AVX2 -> avx2Takes(ocBlock);
            // qt_conv8_vnni_takes || qt_conv16_vnni_takes || qt_conv_takes_avx2
            case AVX512_VNNI ->
                dot == 8 && ocBlock % 16 == 0 && ocBlock <= 64
                        || dot == 16 && ocBlock % 16 == 0 && ocBlock <= 32
                        || avx2Takes(ocBlock);
            case NEON_DOT -> dot == 8 && ocBlock % 4 == 0 && ocBlock <= 32;
        };
    }

    /** qt_conv_takes_avx2: the AVX2 direct kernel takes oc_block 8, 16 or 32, either dot. */
    private static boolean avx2Takes(int ocBlock) {
        return ocBlock % 8 == 0 && ocBlock <= 32;
    }

    /**
     * Whether a depthwise layer over {@code paddedChannels} stored channels runs the AVX2 depthwise
     * kernel ({@code qt_depthwise_prepare} / {@code qt_depthwise_part}, which the AVX2 header
     * defines), vectorised over 8 channels, rather than the portable {@code qt_conv_depthwise}.
     */
    public boolean depthwiseTakes(int paddedChannels) {
        return hasAvx2Kernels() && paddedChannels % 8 == 0;
    }

    /** Whether the ISA's code runs on machines of {@code arch} ({@code x86_64} or {@code aarch64}). */
    public boolean runsOn(String arch) {
        return switch (this) {
            case GENERIC -> true;
            case AVX2, AVX512_VNNI -> HostCpu.X86_64.equals(arch);
            case NEON_DOT -> HostCpu.AARCH64.equals(arch);
        };
    }
}

package dev.qtune.targets;

/**
 * How a target's kernels compute the 8-bit dot product (dot 8: four u8 or s8 activations times
 * four int8 weights summed into an int32 lane), and therefore which layers may take it exactly
 * (docs/codegen.md, "The inner product: dot 16 or 8").
 */
public enum Dot8Kind {
    /** No 8-bit dot kernel: the portable kernels widen int8/int16 products to int32 in C. */
    NONE("int8/int16 products are widened to int32 in C and accumulated exactly"),
    /** AVX2 {@code vpmaddubsw} + {@code vpmaddwd}: pairs of u8*s8 products saturate to int16 first. */
    VPMADDUBSW("vpmaddubsw sums u8*s8 pairs into a saturating int16: exact only when |a0*w0 + a1*w1| <= 32767 "
            + "for every pair; otherwise the 16-bit path (vpmovsx + vpmaddwd) is used"),
    /** AVX-512 VNNI {@code vpdpbusd}: u8*s8 products into int32 with no int16 step. */
    VPDPBUSD("vpdpbusd accumulates u8*s8 products in int32 exactly (no int16 saturation)"),
    /** NEON {@code sdot}: s8*s8 products into int32; a u8 activation is read as the s8 {@code u - 128}. */
    SDOT("sdot multiplies s8*s8 (udot u8*u8) and accumulates in int32 exactly; u8 activations are read as s8 "
            + "u - 128 with the bias carrying 128 * sum(w), since the mixed-sign usdot needs Armv8.6-A i8mm");

    private final String limit;

    Dot8Kind(String limit) {
        this.limit = limit;
    }

    /** Whether the target has an 8-bit dot kernel at all. */
    public boolean available() {
        return this != NONE;
    }

    /**
     * Whether every 8-bit activation times every int8 weight is exact with no check of the layer's
     * ranges (no int16 pair sums; DotEight.exactVnni), rather than only where DotEight.exact holds.
     */
    public boolean exactForEveryInput() {
        return this == VPDPBUSD || this == SDOT;
    }

    /**
     * Whether the kernel reads the halo-padded unsigned input as signed ({@code u ^ 0x80}), so that
     * the layer's bias must carry {@code 128 * sum(w)} back.
     */
    public boolean readsUnsignedAsSigned() {
        return this == SDOT;
    }

    /** What this dot computes exactly, in words ({@code qtune targets --json}'s arithmetic_limits). */
    public String limit() {
        return limit;
    }
}

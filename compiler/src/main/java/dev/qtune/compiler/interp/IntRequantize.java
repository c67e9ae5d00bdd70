package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.Requantize;

/** Applies a {@link Requantize} stage to accumulators, as docs/integer-semantics.md defines it. */
final class IntRequantize {
    private IntRequantize() {}

    /** dst[dOff + i] = clamp(M_channel(src[sOff + i] - inputZeroPoint) + output zero point) for i < n. */
    static void apply(int[] src, int sOff, int[] dst, int dOff, int n, Requantize rq, int channel, int inputZeroPoint) {
        for (int i = 0; i < n; i++) {
            dst[dOff + i] = rq.apply((long) src[sOff + i] - inputZeroPoint, channel);
        }
    }
}

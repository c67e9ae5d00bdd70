package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.quant.FixedPointMultiplier;
import dev.qtune.compiler.quant.IntRange;

/** Applies a {@link Requantize} stage to accumulators, as docs/integer-semantics.md defines it. */
final class IntRequantize {
    private IntRequantize() {
    }

    /** dst[dOff + i] = clamp(M_channel(src[sOff + i])) for i < n. */
    static void apply(int[] src, int sOff, int[] dst, int dOff, int n, Requantize rq, int channel) {
        FixedPointMultiplier m = rq.multiplier(channel);
        IntRange range = rq.range();
        for (int i = 0; i < n; i++) {
            dst[dOff + i] = range.clamp(m.apply(src[sOff + i], rq.rounding()));
        }
    }
}

package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Requantize;

/**
 * Accumulators wider than int32, for the layers whose worst case does not fit (16-bit
 * activations): docs/integer-semantics.md makes the sum exact either way, in int32 when
 * K * max|x| * max|w| + max|bias| <= 2^31 - 1 (max|x| from the input's storage type, max|w| and
 * max|bias| from the constants), in int64 otherwise.
 */
public final class WideAccumulation {
    private WideAccumulation() {
    }

    /** Whether a layer with these operands needs int64 accumulators. */
    public static boolean needed(int k, DType input, int[] weights, int[] bias) {
        long maxX = Math.max(Math.abs(input.min()), input.max());
        long maxW = 0;
        for (int w : weights) {
            maxW = Math.max(maxW, Math.abs((long) w));
        }
        long maxB = 0;
        if (bias != null) {
            for (int b : bias) {
                maxB = Math.max(maxB, Math.abs((long) b));
            }
        }
        return k * maxX * maxW + maxB > Integer.MAX_VALUE;
    }

    /** C += A x B with int64 rows of C, in the row layout of {@link Igemm}. */
    static void multiplyAdd(int m, int n, int k, int[] a, int aOff, int lda, int[][] b, long[][] c) {
        for (int i = 0; i < m; i++) {
            long[] acc = c[i];
            int ar = aOff + i * lda;
            for (int p = 0; p < k; p++) {
                long a0 = a[ar + p];
                int[] b0 = b[p];
                for (int j = 0; j < n; j++) {
                    acc[j] += a0 * b0[j];
                }
            }
        }
    }

    /** dst[dOff + i] = clamp(M_channel(src[sOff + i]) + zero point) for i < n, from int64 accumulators. */
    static void requantize(long[] src, int sOff, int[] dst, int dOff, int n, Requantize rq, int channel) {
        for (int i = 0; i < n; i++) {
            dst[dOff + i] = rq.apply(src[sOff + i], channel);
        }
    }
}

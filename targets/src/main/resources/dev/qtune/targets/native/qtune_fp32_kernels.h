/*
 * fp32 kernels (included by qtune_kernels.h) for the layers a config leaves in fp32. They follow
 * the Java fp32 interpreter's order of operations exactly (compiler/.../interp: Im2col, Sgemm,
 * PoolKernels, ElementwiseKernels), so that with -ffp-contract=off a module's fp32 islands give
 * the same bits as the interpreter. All fp32 tensors are NCHW.
 */
#ifndef QTUNE_FP32_KERNELS_H
#define QTUNE_FP32_KERNELS_H

/*
 * c[i][0..n) += sum over p < k of a[i*k + p] * b[p][0..n), four taps at a time, grouped as
 * ((a0*b0 + a1*b1) + a2*b2) + a3*b3 and then added to c: the order of interp/Sgemm.
 */
QT_INLINE void qt_sgemm(int m, int n, int k, const float *a, const float *b, float *c) {
    for (int i = 0; i < m; i++) {
        float *acc = c + (size_t) i * n;
        const float *ar = a + (size_t) i * k;
        int p = 0;
        for (; p + 3 < k; p += 4) {
            const float a0 = ar[p], a1 = ar[p + 1], a2 = ar[p + 2], a3 = ar[p + 3];
            const float *b0 = b + (size_t) p * n, *b1 = b0 + n, *b2 = b1 + n, *b3 = b2 + n;
            for (int j = 0; j < n; j++) {
                acc[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
            }
        }
        for (; p < k; p++) {
            const float a0 = ar[p];
            const float *b0 = b + (size_t) p * n;
            for (int j = 0; j < n; j++) {
                acc[j] += a0 * b0[j];
            }
        }
    }
}

/* Unfolds one group of one image: row (c*KH + ki)*KW + kj holds the OH*OW inputs tap (ki, kj) sees. */
QT_INLINE void qt_im2col(const float *x, int C, int H, int W, int KH, int KW, int SH, int SW, int PT, int PL, int DH,
                         int DW, int OH, int OW, float *col) {
    size_t row = 0;
    for (int c = 0; c < C; c++) {
        for (int ki = 0; ki < KH; ki++) {
            for (int kj = 0; kj < KW; kj++, row++) {
                float *dst = col + row * (size_t) OH * OW;
                for (int oh = 0; oh < OH; oh++) {
                    const int ih = oh * SH - PT + ki * DH;
                    for (int ow = 0; ow < OW; ow++) {
                        const int iw = ow * SW - PL + kj * DW;
                        dst[oh * OW + ow] = ih >= 0 && ih < H && iw >= 0 && iw < W
                                ? x[((size_t) c * H + ih) * W + iw] : 0.0f;
                    }
                }
            }
        }
    }
}

/* fp32 convolution: per group, im2col then the Sgemm order, each output row starting at the bias. */
QT_INLINE void qt_conv_f32(const float *x, int C, int H, int W, const float *w, const float *bias, float *y, int OC,
                           int OH, int OW, int KH, int KW, int SH, int SW, int PT, int PL, int DH, int DW, int group,
                           float *col) {
    const int cg = C / group;
    const int mg = OC / group;
    const int kk = cg * KH * KW;
    const int p = OH * OW;
    for (int g = 0; g < group; g++) {
        qt_im2col(x + (size_t) g * cg * H * W, cg, H, W, KH, KW, SH, SW, PT, PL, DH, DW, OH, OW, col);
        float *yg = y + (size_t) g * mg * p;
        for (int m = 0; m < mg; m++) {
            const float b = bias ? bias[g * mg + m] : 0.0f;
            for (int j = 0; j < p; j++) {
                yg[(size_t) m * p + j] = b;
            }
        }
        qt_sgemm(mg, p, kk, w + (size_t) g * mg * kk, col, yg);
    }
}

/*
 * fp32 Gemm / MatMul: y[m][n] = A[m][k] x B, B given as k rows of n (transposed at build time when
 * transB), then y *= alpha when alpha != 1, then y += beta * broadcast(bias) (bias_index gives, per
 * output element, the bias element it reads).
 */
QT_INLINE void qt_gemm_f32(const float *a, const float *b, const float *bias, const int32_t *bias_index, float *y,
                           int m, int n, int k, float alpha, float beta) {
    for (size_t i = 0; i < (size_t) m * n; i++) {
        y[i] = 0.0f;
    }
    qt_sgemm(m, n, k, a, b, y);
    if (alpha != 1.0f) {
        for (size_t i = 0; i < (size_t) m * n; i++) {
            y[i] *= alpha;
        }
    }
    if (bias) {
        for (size_t i = 0; i < (size_t) m * n; i++) {
            y[i] += beta * bias[bias_index[i]];
        }
    }
}

/* Max or average pool over NCHW planes, in the interpreter's window order (PoolGeometry). */
QT_INLINE void qt_pool_f32(const float *x, float *y, int planes, int H, int W, int OH, int OW, int KH, int KW, int SH,
                           int SW, int PT, int PL, int PB, int PR, int DH, int DW, int is_max, int count_pad) {
    for (int pl = 0; pl < planes; pl++) {
        const float *xp = x + (size_t) pl * H * W;
        for (int oh = 0; oh < OH; oh++) {
            for (int ow = 0; ow < OW; ow++) {
                float acc = is_max ? -INFINITY : 0.0f;
                int n = 0;
                int padded = 0;
                for (int ki = 0; ki < KH; ki++) {
                    const int ih = oh * SH - PT + ki * DH;
                    for (int kj = 0; kj < KW; kj++) {
                        const int iw = ow * SW - PL + kj * DW;
                        if (ih < H + PB && iw < W + PR) {
                            padded++;
                        }
                        if (ih >= 0 && ih < H && iw >= 0 && iw < W) {
                            const float v = xp[ih * W + iw];
                            acc = is_max ? qt_jmax(acc, v) : acc + v;
                            n++;
                        }
                    }
                }
                y[((size_t) pl * OH + oh) * OW + ow] =
                        is_max ? acc : acc / (float) (count_pad ? padded : (n > 0 ? n : 1));
            }
        }
    }
}

/* Global average pool: the sum in double, then (float)(sum / size). */
QT_INLINE void qt_global_avg_pool_f32(const float *x, float *y, int planes, int size) {
    for (int p = 0; p < planes; p++) {
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += x[(size_t) p * size + i];
        }
        y[p] = (float) (sum / size);
    }
}

/* Java's Math.min(Math.max(x, lo), hi) element-wise (Relu, Clip). */
QT_INLINE void qt_clamp_f32(const float *x, float *y, size_t n, float lo, float hi) {
    size_t i0 = 0;
#if defined(__AVX2__)
    /*
     * vmaxps / vminps return their second operand on NaN and on two zeros: with x second, NaN
     * passes as in Java; equal operands (two zeros of either sign) take the AND (max: +0 wins) or
     * the OR (min: -0 wins) of their bits, which for equal non-zero values is the value itself.
     */
    const __m256 vlo = _mm256_set1_ps(lo);
    const __m256 vhi = _mm256_set1_ps(hi);
    i0 = n / 8 * 8;
    for (size_t i = 0; i < i0; i += 8) {
        const __m256 v = _mm256_loadu_ps(x + i);
        __m256 r = _mm256_blendv_ps(_mm256_max_ps(vlo, v), _mm256_and_ps(v, vlo), _mm256_cmp_ps(v, vlo, _CMP_EQ_OQ));
        r = _mm256_blendv_ps(_mm256_min_ps(vhi, r), _mm256_or_ps(r, vhi), _mm256_cmp_ps(r, vhi, _CMP_EQ_OQ));
        _mm256_storeu_ps(y + i, r);
    }
#endif
    for (size_t i = i0; i < n; i++) {
        y[i] = qt_jmin(qt_jmax(x[i], lo), hi);
    }
}

/* Softmax over an axis: max, a double sum of exp(x - max), then exp(x - max) / sum per element. */
QT_INLINE void qt_softmax_f32(const float *x, float *y, int outer, int len, int inner) {
    for (int o = 0; o < outer; o++) {
        for (int i = 0; i < inner; i++) {
            const size_t base = (size_t) o * len * inner + i;
            float max = -INFINITY;
            for (int k = 0; k < len; k++) {
                max = qt_jmax(max, x[base + (size_t) k * inner]);
            }
            double sum = 0;
            for (int k = 0; k < len; k++) {
                sum += exp((double) (x[base + (size_t) k * inner] - max));
            }
            for (int k = 0; k < len; k++) {
                y[base + (size_t) k * inner] = (float) (exp((double) (x[base + (size_t) k * inner] - max)) / sum);
            }
        }
    }
}

#endif

/*
 * AVX2 kernels (included by qtune_int_kernels.h when the target has AVX2): the direct convolution
 * of qtune_int_kernels.h with a broadcast group of input channels (a pair of int16 for dot 16, four
 * u8 for dot 8) times OB/8 vectors of weights. dot 16 sums by vpmaddwd into int32 lanes (one per
 * output channel), exact for every operand; dot 8 by vpmaddubsw (int16 pair sums with saturation,
 * which the code generator has proven cannot occur for the layer) then vpmaddwd by ones.
 */
#ifndef QTUNE_AVX2_KERNELS_H
#define QTUNE_AVX2_KERNELS_H

#include <immintrin.h>

/*
 * Vectorised requantization of 8 int32 accumulators (rounding upward, the default; the per-channel
 * constants come from qt_upward_constants). The exact products acc * m are formed in 64-bit lanes
 * (even and odd channels separately, vpmuldq), and the rounding arithmetic shift
 * floor((p + 2^(n-1)) / 2^n) is done as a logical shift of p + 2^(n-1) + 2^63, minus 2^(63-n):
 * exact for |p| < 2^62, which holds for int32 accumulators and mantissas below 2^31.
 */
QT_INLINE void qt_upward_constants(const int8_t *shift, int n, uint64_t *add, uint64_t *sub) {
    for (int c = 0; c < n; c++) {
        const int s = shift[c];
        add[c] = (s > 0 ? (uint64_t) 1 << (s - 1) : 0) + ((uint64_t) 1 << 63);
        sub[c] = ((uint64_t) 1 << 63) >> s;
    }
}

QT_INLINE __m256i qt_clamp64(__m256i v, __m256i lo, __m256i hi) {
    v = _mm256_blendv_epi8(v, lo, _mm256_cmpgt_epi64(lo, v));
    return _mm256_blendv_epi8(v, hi, _mm256_cmpgt_epi64(v, hi));
}

QT_INLINE __m256i qt_requant_upward8(__m256i acc, const int32_t *mant, const int8_t *shift, const uint64_t *add,
                                     const uint64_t *sub, __m256i lo, __m256i hi) {
    const __m256i m = _mm256_loadu_si256((const __m256i *) mant);
    const __m256i s = _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *) shift));
    const __m256i s_even = _mm256_and_si256(s, _mm256_set1_epi64x(0xffffffff));
    const __m256i s_odd = _mm256_srli_epi64(s, 32);
    __m256i pe = _mm256_mul_epi32(acc, m);
    __m256i po = _mm256_mul_epi32(_mm256_srli_epi64(acc, 32), _mm256_srli_epi64(m, 32));
    pe = _mm256_add_epi64(pe, _mm256_set_epi64x((long long) add[6], (long long) add[4], (long long) add[2], (long long) add[0]));
    po = _mm256_add_epi64(po, _mm256_set_epi64x((long long) add[7], (long long) add[5], (long long) add[3], (long long) add[1]));
    pe = _mm256_sub_epi64(_mm256_srlv_epi64(pe, s_even),
                          _mm256_set_epi64x((long long) sub[6], (long long) sub[4], (long long) sub[2], (long long) sub[0]));
    po = _mm256_sub_epi64(_mm256_srlv_epi64(po, s_odd),
                          _mm256_set_epi64x((long long) sub[7], (long long) sub[5], (long long) sub[3], (long long) sub[1]));
    pe = qt_clamp64(pe, lo, hi);
    po = qt_clamp64(po, lo, hi);
    return _mm256_blend_epi32(pe, _mm256_slli_epi64(po, 32), 0xAA);
}

/*
 * Requantizes and stores 8 accumulators of output channels ch0.. (at most count of them are
 * real): vectorised when rounding upward. Takes the vector by value, so the caller's
 * accumulators stay in registers.
 */
QT_INLINE void qt_epilogue8_avx2(__m256i acc, int ch0, int count, const int32_t *mant, const int8_t *shift,
                                 const uint64_t *add, const uint64_t *sub, int rounding, int lo, int hi, void *y,
                                 int yk, size_t base) {
    int32_t out[8] __attribute__((aligned(32)));
    if (rounding == QT_UPWARD) {
        _mm256_store_si256((__m256i *) out, qt_requant_upward8(acc, mant + ch0, shift + ch0, add + ch0, sub + ch0,
                                                               _mm256_set1_epi64x(lo), _mm256_set1_epi64x(hi)));
    } else {
        int32_t sums[8] __attribute__((aligned(32)));
        _mm256_store_si256((__m256i *) sums, acc);
        for (int o = 0; o < 8; o++) {
            out[o] = qt_clamp(qt_apply(sums[o], mant[ch0 + o], shift[ch0 + o], rounding), lo, hi);
        }
    }
    for (int o = 0; o < count && o < 8; o++) {
        qt_store(y, yk, base + o, out[o]);
    }
}

/*
 * The direct kernel for one dot layout: IN_T input elements, W_T weights, G input channels per
 * step, STEP(a, w) the int32 partial sums of one broadcast input group a times weight vector w.
 * A template (macro) rather than a run-time parameter: each instance keeps its accumulators in
 * registers with plain typed addressing.
 */
#define QT_STEP16(a, w) _mm256_madd_epi16((a), (w))
#define QT_STEP8(a, w) _mm256_madd_epi16(_mm256_maddubs_epi16((a), (w)), _mm256_set1_epi16(1))
#define QT_DEFINE_CONV_AVX2(NAME, IN_T, W_T, G, STEP)                                                   \
    QT_INLINE void NAME(const IN_T *x, int H, int W, int CP, const W_T *wpk, const int32_t *bias,        \
                        const int32_t *mant, const int8_t *shift, int rounding, int lo, int hi, void *y, int yk, \
                        int OH, int OW, int OCP, int KH, int KW, int SH, int SW, int PT, int PL, int DH, int DW, \
                        int OB, int OWT, const IN_T *zero) {                                                 \
        const int NB = (OCP + OB - 1) / OB;                                                                  \
        const int NV = OB / 8;                                                                               \
        uint64_t radd[QT_MAX_CHANNELS], rsub[QT_MAX_CHANNELS];                                               \
        qt_upward_constants(shift, NB * OB, radd, rsub);                                                     \
        _Pragma("omp parallel for collapse(2) schedule(static) num_threads(qt_threads) if(qt_threads > 1)") \
        for (int oh = 0; oh < OH; oh++) {                                                                    \
            for (int ob = 0; ob < NB; ob++) {                                                                \
                const W_T *wb = wpk + (size_t) ob * KH * KW * CP * OB;                                       \
                const int oend = OCP - ob * OB < OB ? OCP - ob * OB : OB;                                    \
                for (int ow0 = 0; ow0 < OW; ow0 += OWT) {                                                    \
                    const int nt = OW - ow0 < OWT ? OW - ow0 : OWT;                                          \
                    __m256i acc[QT_MAX_OWT][4];                                                              \
                    for (int t = 0; t < OWT; t++) {                                                          \
                        for (int v = 0; v < NV; v++) {                                                       \
                            acc[t][v] = _mm256_loadu_si256((const __m256i *) (bias + ob * OB + 8 * v));      \
                        }                                                                                    \
                    }                                                                                        \
                    for (int kh = 0; kh < KH; kh++) {                                                        \
                        for (int kw = 0; kw < KW; kw++) {                                                    \
                            const IN_T *row[QT_MAX_OWT];                                                     \
                            qt_tile_rows(x, zero, sizeof(IN_T), H, W, CP, oh, ow0, nt, kh, kw, SH, SW, PT, PL, DH, \
                                         DW, OWT, (const void **) row);                                     \
                            const W_T *wk = wb + (size_t) (kh * KW + kw) * CP * OB;                          \
                            for (int c = 0; c < CP; c += G) {                                                \
                                const W_T *wc = wk + (size_t) c * OB;                                        \
                                __m256i wv[4];                                                               \
                                for (int v = 0; v < NV; v++) {                                               \
                                    wv[v] = _mm256_loadu_si256((const __m256i *) (wc + (32 / sizeof(W_T)) * v)); \
                                }                                                                            \
                                for (int t = 0; t < OWT; t++) {                                              \
                                    int32_t group;                                                           \
                                    memcpy(&group, row[t] + c, sizeof group);                                \
                                    const __m256i a = _mm256_set1_epi32(group);                              \
                                    for (int v = 0; v < NV; v++) {                                           \
                                        acc[t][v] = _mm256_add_epi32(acc[t][v], STEP(a, wv[v]));             \
                                    }                                                                        \
                                }                                                                            \
                            }                                                                                \
                        }                                                                                    \
                    }                                                                                        \
                    for (int t = 0; t < nt; t++) {                                                           \
                        const size_t base = ((size_t) oh * OW + ow0 + t) * OCP + (size_t) ob * OB;           \
                        for (int v = 0; v < NV; v++) {                                                       \
                            qt_epilogue8_avx2(acc[t][v], ob * OB + 8 * v, oend - 8 * v, mant, shift, radd, rsub, \
                                              rounding, lo, hi, y, yk, base + 8 * v);                        \
                        }                                                                                    \
                    }                                                                                        \
                }                                                                                            \
            }                                                                                                \
        }                                                                                                    \
    }

QT_DEFINE_CONV_AVX2(qt_conv16_avx2, int16_t, int16_t, 2, QT_STEP16)
QT_DEFINE_CONV_AVX2(qt_conv8_avx2, uint8_t, int8_t, 4, QT_STEP8)

/* The AVX2 version of the direct kernel for either dot layout (see qtune_int_kernels.h). */
QT_INLINE void qt_conv_avx2(const void *x, int H, int W, int CP, const void *wpk, const int32_t *bias,
                            const int32_t *mant, const int8_t *shift, int rounding, int lo, int hi, void *y, int yk,
                            int OH, int OW, int OCP, int KH, int KW, int SH, int SW, int PT, int PL, int DH, int DW,
                            int OB, int OWT, int DOT, const void *zero) {
    if (DOT == 8) {
        qt_conv8_avx2((const uint8_t *) x, H, W, CP, (const int8_t *) wpk, bias, mant, shift, rounding, lo, hi, y, yk,
                      OH, OW, OCP, KH, KW, SH, SW, PT, PL, DH, DW, OB, OWT, (const uint8_t *) zero);
    } else {
        qt_conv16_avx2((const int16_t *) x, H, W, CP, (const int16_t *) wpk, bias, mant, shift, rounding, lo, hi, y,
                       yk, OH, OW, OCP, KH, KW, SH, SW, PT, PL, DH, DW, OB, OWT, (const int16_t *) zero);
    }
}

#endif

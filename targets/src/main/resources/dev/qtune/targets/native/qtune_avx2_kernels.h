/*
 * AVX2 kernels (included by qtune_int_kernels.h when the target has AVX2). The 16-bit path:
 * a broadcast pair of int16 input channels times OB/8 vectors of int16 weight pairs, summed by
 * vpmaddwd into int32 lanes (one per output channel). A pair sum of two int16 products always fits
 * int32, so this path is exact for every operand range, unlike vpmaddubsw's saturating int16 sums.
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

QT_INLINE void qt_conv_avx2(const int16_t *x16, int H, int W, int CP, const int16_t *wpk, const int32_t *bias,
                            const int32_t *mant, const int8_t *shift, int rounding, int lo, int hi, void *y, int yk,
                            int OH, int OW, int OCP, int KH, int KW, int SH, int SW, int PT, int PL, int DH, int DW,
                            int OB, int OWT, const int16_t *zero) {
    const int NB = (OCP + OB - 1) / OB;
    const int NV = OB / 8;
    uint64_t radd[QT_MAX_CHANNELS], rsub[QT_MAX_CHANNELS];
    qt_upward_constants(shift, NB * OB, radd, rsub);
    _Pragma("omp parallel for collapse(2) schedule(static) num_threads(qt_threads) if(qt_threads > 1)")
    for (int oh = 0; oh < OH; oh++) {
        for (int ob = 0; ob < NB; ob++) {
            const int16_t *wb = wpk + (size_t) ob * KH * KW * CP * OB;
            const int oend = OCP - ob * OB < OB ? OCP - ob * OB : OB;
            for (int ow0 = 0; ow0 < OW; ow0 += OWT) {
                const int nt = OW - ow0 < OWT ? OW - ow0 : OWT;
                __m256i acc[QT_MAX_OWT][4];
                for (int t = 0; t < OWT; t++) {
                    for (int v = 0; v < NV; v++) {
                        acc[t][v] = _mm256_loadu_si256((const __m256i *) (bias + ob * OB + 8 * v));
                    }
                }
                for (int kh = 0; kh < KH; kh++) {
                    for (int kw = 0; kw < KW; kw++) {
                        const int16_t *row[QT_MAX_OWT];
                        qt_tile_rows(x16, zero, H, W, CP, oh, ow0, nt, kh, kw, SH, SW, PT, PL, DH, DW, OWT, row);
                        const int16_t *wk = wb + (size_t) (kh * KW + kw) * CP * OB;
                        for (int c = 0; c < CP; c += 2) {
                            const int16_t *wc = wk + (size_t) c * OB;
                            __m256i wv[4];
                            for (int v = 0; v < NV; v++) {
                                wv[v] = _mm256_loadu_si256((const __m256i *) (wc + 16 * v));
                            }
                            for (int t = 0; t < OWT; t++) {
                                int32_t pair;
                                memcpy(&pair, row[t] + c, sizeof pair);
                                const __m256i a = _mm256_set1_epi32(pair);
                                for (int v = 0; v < NV; v++) {
                                    acc[t][v] = _mm256_add_epi32(acc[t][v], _mm256_madd_epi16(a, wv[v]));
                                }
                            }
                        }
                    }
                }
                for (int t = 0; t < nt; t++) {
                    const size_t base = ((size_t) oh * OW + ow0 + t) * OCP + (size_t) ob * OB;
                    for (int v = 0; v < NV; v++) {
                        qt_epilogue8_avx2(acc[t][v], ob * OB + 8 * v, oend - 8 * v, mant, shift, radd, rsub, rounding,
                                          lo, hi, y, yk, base + 8 * v);
                    }
                }
            }
        }
    }
}

/*
 * The 8-bit path (dot 8): a broadcast group of four unsigned input channels times OB/8 vectors of
 * four int8 weights per output channel; vpmaddubsw sums adjacent u8*s8 products into int16 with
 * saturation, vpmaddwd by ones sums those pairs into int32. Exact only where no pair sum leaves
 * int16: the code generator checks the layer's weights against its input range before choosing it.
 */
QT_INLINE void qt_conv8_avx2(const uint8_t *x8, int H, int W, int CP, const int8_t *wpk, const int32_t *bias,
                             const int32_t *mant, const int8_t *shift, int rounding, int lo, int hi, void *y, int yk,
                             int OH, int OW, int OCP, int KH, int KW, int SH, int SW, int PT, int PL, int DH, int DW,
                             int OB, int OWT, const uint8_t *zero) {
    const int NB = (OCP + OB - 1) / OB;
    const int NV = OB / 8;
    uint64_t radd[QT_MAX_CHANNELS], rsub[QT_MAX_CHANNELS];
    qt_upward_constants(shift, NB * OB, radd, rsub);
    const __m256i ones = _mm256_set1_epi16(1);
    _Pragma("omp parallel for collapse(2) schedule(static) num_threads(qt_threads) if(qt_threads > 1)")
    for (int oh = 0; oh < OH; oh++) {
        for (int ob = 0; ob < NB; ob++) {
            const int8_t *wb = wpk + (size_t) ob * KH * KW * CP * OB;
            const int oend = OCP - ob * OB < OB ? OCP - ob * OB : OB;
            for (int ow0 = 0; ow0 < OW; ow0 += OWT) {
                const int nt = OW - ow0 < OWT ? OW - ow0 : OWT;
                __m256i acc[QT_MAX_OWT][4];
                for (int t = 0; t < OWT; t++) {
                    for (int v = 0; v < NV; v++) {
                        acc[t][v] = _mm256_loadu_si256((const __m256i *) (bias + ob * OB + 8 * v));
                    }
                }
                for (int kh = 0; kh < KH; kh++) {
                    for (int kw = 0; kw < KW; kw++) {
                        const uint8_t *row[QT_MAX_OWT];
                        qt_tile_rows8(x8, zero, H, W, CP, oh, ow0, nt, kh, kw, SH, SW, PT, PL, DH, DW, OWT, row);
                        const int8_t *wk = wb + (size_t) (kh * KW + kw) * CP * OB;
                        for (int c = 0; c < CP; c += 4) {
                            const int8_t *wc = wk + (size_t) c * OB;
                            __m256i wv[4];
                            for (int v = 0; v < NV; v++) {
                                wv[v] = _mm256_loadu_si256((const __m256i *) (wc + 32 * v));
                            }
                            for (int t = 0; t < OWT; t++) {
                                int32_t quad;
                                memcpy(&quad, row[t] + c, sizeof quad);
                                const __m256i a = _mm256_set1_epi32(quad);
                                for (int v = 0; v < NV; v++) {
                                    acc[t][v] = _mm256_add_epi32(acc[t][v],
                                            _mm256_madd_epi16(_mm256_maddubs_epi16(a, wv[v]), ones));
                                }
                            }
                        }
                    }
                }
                for (int t = 0; t < nt; t++) {
                    const size_t base = ((size_t) oh * OW + ow0 + t) * OCP + (size_t) ob * OB;
                    for (int v = 0; v < NV; v++) {
                        qt_epilogue8_avx2(acc[t][v], ob * OB + 8 * v, oend - 8 * v, mant, shift, radd, rsub, rounding,
                                          lo, hi, y, yk, base + 8 * v);
                    }
                }
            }
        }
    }
}

#endif

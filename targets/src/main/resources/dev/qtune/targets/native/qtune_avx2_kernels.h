/*
 * AVX2 kernels (x86-avx2; qtune_kernels.h includes this header where QT_AVX2 holds and QT_VNNI does
 * not, and qtune_vnni_kernels.h builds on it): the direct convolution of qtune_int_kernels.h with a
 * broadcast group of input channels (a pair of int16 for dot 16, four u8 for dot 8) times OB/8
 * vectors of weights. dot 16 sums by vpmaddwd into int32 lanes (one per output channel), exact for
 * every operand; dot 8 by vpmaddubsw (int16 pair sums with saturation, which the code generator has
 * proven cannot occur for the layer) then vpmaddwd by ones. Also the depthwise kernel and QAdd's
 * vectorised head.
 *
 * The kernel reads a halo-padded copy of the input (qt_pad_input: the layer's padding written
 * out, already in the dot layout's element type), so its inner loops have no bounds checks and
 * the OWT pixels of a tile sit at a constant stride from one base pointer.
 */
#ifndef QTUNE_AVX2_KERNELS_H
#define QTUNE_AVX2_KERNELS_H

#include "qtune_common.h"

#if !QT_AVX2
#error "qtune_avx2_kernels.h needs an AVX2 target (-mavx2 -mfma, the flags of x86-avx2)"
#endif

#include <immintrin.h>

/*
 * Vectorised requantization of 8 int32 accumulators (rounding upward, the default; the per-channel
 * constants come from qt_upward_constants). The exact products acc * m are formed in 64-bit lanes
 * (even and odd channels separately, vpmuldq), and the rounding arithmetic shift
 * floor((p + 2^(n-1)) / 2^n) is done as a logical shift of p + 2^(n-1) + 2^63, minus 2^(63-n):
 * exact for |p| < 2^62, which holds for int32 accumulators and mantissas below 2^31.
 *
 * The output zero point z is folded into the subtrahend (2^(63-n) - z, modulo 2^64), so the lanes
 * come out as apply(M, acc) + z, exact, at no extra instruction; the clamp follows.
 *
 * Constants are laid out per group of 8 channels as the vectors use them: the 4 even channels'
 * values, then the 4 odd channels' (add, sub and shift as 64-bit lanes); for 16-lane vectors
 * (qt_upward_constants_lanes with 16) per group of 16: 8 even, then 8 odd.
 */
QT_INLINE void qt_upward_constants_lanes(const int8_t *shift, int n, int z, int lanes, uint64_t *add, uint64_t *sub,
                                         uint64_t *sft) {
    for (int c = 0; c < n; c++) {
        const int s = shift[c];
        const int at = (c & ~(lanes - 1)) + ((c & 1) ? lanes / 2 : 0) + ((c & (lanes - 1)) >> 1);
        add[at] = (s > 0 ? (uint64_t) 1 << (s - 1) : 0) + ((uint64_t) 1 << 63);
        sub[at] = (((uint64_t) 1 << 63) >> s) - (uint64_t) (int64_t) z;
        sft[at] = (uint64_t) s;
    }
}

QT_INLINE void qt_upward_constants(const int8_t *shift, int n, int z, uint64_t *add, uint64_t *sub, uint64_t *sft) {
    qt_upward_constants_lanes(shift, n, z, 8, add, sub, sft);
}

/* The per-channel constants of qt_upward_constants, as the direct kernels pass them to their tiles. */
typedef struct {
    const uint64_t *add, *sub, *sft;
    int narrow; /* qt_epilogue_narrow of the layer */
} qt_upward_tables;

/*
 * Whether every requantized value of a layer fits int32 before its zero point is added, so that
 * an epilogue may clamp 32-bit lanes (qt_epilogue16_vnni): for every channel 32 <= shift <= 62. Then |M| < 2^31
 * makes M / 2^shift < 1/2, so |apply(M, acc)| <= |acc| / 2 + 1 < 2^30 for any int32 accumulator,
 * and adding a zero point of at most 2^15 in magnitude cannot overflow. (Every layer of the
 * shared models and of the zoo qualifies; a layer whose scale ratio is 1/2 or more does not.)
 */
QT_INLINE int qt_epilogue_narrow(const int8_t *shift, int n, int zy) {
    if (zy > 32768 || zy < -32768) {
        return 0;
    }
    for (int c = 0; c < n; c++) {
        if (shift[c] < 32 || shift[c] > 62) {
            return 0;
        }
    }
    return 1;
}


QT_INLINE __m256i qt_clamp64(__m256i v, __m256i lo, __m256i hi) {
    v = _mm256_blendv_epi8(v, lo, _mm256_cmpgt_epi64(lo, v));
    return _mm256_blendv_epi8(v, hi, _mm256_cmpgt_epi64(v, hi));
}

QT_INLINE __m256i qt_requant_upward8(__m256i acc, const int32_t *mant, const uint64_t *add, const uint64_t *sub,
                                     const uint64_t *sft, __m256i lo, __m256i hi) {
    const __m256i m = _mm256_loadu_si256((const __m256i *) mant);
    __m256i pe = _mm256_mul_epi32(acc, m);
    __m256i po = _mm256_mul_epi32(_mm256_srli_epi64(acc, 32), _mm256_srli_epi64(m, 32));
    pe = _mm256_add_epi64(pe, _mm256_loadu_si256((const __m256i *) add));
    po = _mm256_add_epi64(po, _mm256_loadu_si256((const __m256i *) (add + 4)));
    pe = _mm256_sub_epi64(_mm256_srlv_epi64(pe, _mm256_loadu_si256((const __m256i *) sft)),
                          _mm256_loadu_si256((const __m256i *) sub));
    po = _mm256_sub_epi64(_mm256_srlv_epi64(po, _mm256_loadu_si256((const __m256i *) (sft + 4))),
                          _mm256_loadu_si256((const __m256i *) (sub + 4)));
    pe = qt_clamp64(pe, lo, hi);
    po = qt_clamp64(po, lo, hi);
    return _mm256_blend_epi32(pe, _mm256_slli_epi64(po, 32), 0xAA);
}

/* Stores 8 int32 values already within the output kind's range (so packing never saturates). */
QT_INLINE void qt_store8_avx2(__m256i v, void *y, int yk, size_t base) {
    const __m128i p16 = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    if (yk == QT_I16) {
        _mm_storeu_si128((__m128i *) ((int16_t *) y + base), p16);
    } else if (yk == QT_U8) {
        _mm_storel_epi64((__m128i *) ((uint8_t *) y + base), _mm_packus_epi16(p16, p16));
    } else {
        _mm_storel_epi64((__m128i *) ((int8_t *) y + base), _mm_packs_epi16(p16, p16));
    }
}

/*
 * Requantizes and stores 8 accumulators of output channels ch0.. (at most count of them are
 * real): vectorised when rounding upward (the output zero point zy is then in the constants).
 * Takes the vector by value, so the caller's accumulators stay in registers.
 */
QT_INLINE void qt_epilogue8_avx2(__m256i acc, int ch0, int count, const int32_t *mant, const int8_t *shift,
                                 const uint64_t *add, const uint64_t *sub, const uint64_t *sft, int rounding, int lo,
                                 int hi, int zy, void *y, int yk, size_t base) {
    int32_t out[8] __attribute__((aligned(32)));
    if (rounding == QT_UPWARD) {
        const __m256i r = qt_requant_upward8(acc, mant + ch0, add + ch0, sub + ch0, sft + ch0, _mm256_set1_epi64x(lo),
                                             _mm256_set1_epi64x(hi));
        if (count >= 8) {
            qt_store8_avx2(r, y, yk, base);
            return;
        }
        _mm256_store_si256((__m256i *) out, r);
    } else {
        int32_t sums[8] __attribute__((aligned(32)));
        _mm256_store_si256((__m256i *) sums, acc);
        for (int o = 0; o < 8; o++) {
            out[o] = qt_clamp_zp(qt_apply(sums[o], mant[ch0 + o], shift[ch0 + o], rounding), zy, lo, hi);
        }
        if (count >= 8) {
            qt_store8_avx2(_mm256_load_si256((const __m256i *) out), y, yk, base);
            return;
        }
    }
    for (int o = 0; o < count; o++) {
        qt_store(y, yk, base + o, out[o]);
    }
}

/*
 * The direct kernel for one dot layout: IN_T input elements, W_T weights, G input channels per
 * step, STEP(a, w) the int32 partial sums of one broadcast input group a times weight vector w.
 * A template (macro) rather than a run-time parameter: each instance keeps its accumulators in
 * registers with plain typed addressing.
 *
 * One tile: T output pixels (at input stride XS elements) x NV = OB/8 vectors of 8 output channels, in
 * T * NV accumulator registers; per input-channel group, NV weight vectors are loaded once and
 * each pixel's group is broadcast (vpbroadcastd) once. With DW == 1 the kw taps of one kernel row
 * are contiguous in both the padded input and the packed weights, so they run as one loop. That
 * loop is kept rolled (QT_NO_UNROLL): GCC 12's unrolling of it runs out of the 16 YMM registers
 * and spills or copies accumulators, which measured up to 2x slower.
 */
#if defined(__clang__)
#define QT_NO_UNROLL _Pragma("nounroll")
#else
#define QT_NO_UNROLL _Pragma("GCC unroll 1")
#endif
#define QT_STEP16(a, w) _mm256_madd_epi16((a), (w))
#if QT_VNNI
/* On a VNNI target this kernel's dot 8 (oc_block not a multiple of 16) is exact too: vpdpbusd. */
#define QT_STEP8(a, w) _mm256_dpbusd_epi32(_mm256_setzero_si256(), (a), (w))
#else
#define QT_STEP8(a, w) _mm256_madd_epi16(_mm256_maddubs_epi16((a), (w)), _mm256_set1_epi16(1))
#endif
#define QT_TILE_STEP(IN_T, W_T, STEP, xp, wp)                                                           \
    do {                                                                                                 \
        __m256i wv[4];                                                                                   \
        for (int v = 0; v < NV; v++) {                                                                   \
            wv[v] = _mm256_loadu_si256((const __m256i *) ((wp) + (32 / sizeof(W_T)) * v));               \
        }                                                                                                \
        for (int t = 0; t < T; t++) {                                                                    \
            int32_t group;                                                                               \
            memcpy(&group, (xp) + (size_t) t * XS, sizeof group);                                        \
            const __m256i xv = _mm256_set1_epi32(group);                                                 \
            for (int v = 0; v < NV; v++) {                                                               \
                acc[t][v] = _mm256_add_epi32(acc[t][v], STEP(xv, wv[v]));                                \
            }                                                                                            \
        }                                                                                                \
    } while (0)

/* Every accumulator acc[t][v] of a tile: T pixels x NV vectors. */
#define QT_FOR_TILE                                                                                     \
    for (int t = 0; t < T; t++)                                                                         \
        for (int v = 0; v < NV; v++)

/*
 * The taps of one tile (after QT_TILE_GEOMETRY): for each kernel row kh, every group of G input
 * channels of every tap as STEPPER(..., input, weights); with DW == 1 the taps of a kernel row are
 * contiguous and run as one loop.
 */
#define QT_TILE_TAPS(IN_T, W_T, G, STEPPER, ...)                                                        \
    for (int kh = 0; kh < KH; kh++) {                                                                   \
        const IN_T *xr = xt + (size_t) kh * DH * RS;                                                    \
        const W_T *wr = wb + (size_t) kh * KWC * OB;                                                    \
        if (DW == 1) {                                                                                  \
            QT_NO_UNROLL                                                                                \
            for (int j = 0; j < KWC; j += G) {                                                          \
                STEPPER(__VA_ARGS__, xr + j, wr + (size_t) j * OB);                                     \
            }                                                                                           \
        } else {                                                                                        \
            for (int kw = 0; kw < KW; kw++) {                                                           \
                QT_NO_UNROLL                                                                            \
                for (int c = 0; c < CP; c += G) {                                                       \
                    STEPPER(__VA_ARGS__, xr + (size_t) kw * DW * CP + c, wr + (size_t) (kw * CP + c) * OB); \
                }                                                                                       \
            }                                                                                           \
        }                                                                                               \
    }

/*
 * The kernel on work items [w0, w1): the upward rounding constants in the layout of LANES-lane
 * vectors, then the tiles (NAME##_tile).
 */
#define QT_DEFINE_CONV_ITEMS(NAME, IN_T, LANES)                                                         \
    QT_INLINE void NAME(const qt_conv_args *a, const IN_T *xp, int w0, int w1) {                        \
        const int n = (a->OCP + a->OB - 1) / a->OB * a->OB;                                             \
        uint64_t radd[n], rsub[n], rsft[n];                                                             \
        qt_upward_constants_lanes(a->shift, n, a->zy, LANES, radd, rsub, rsft);                         \
        const qt_upward_tables rq = {radd, rsub, rsft, qt_epilogue_narrow(a->shift, a->OCP, a->zy)};   \
        QT_CONV_ITEMS(a, w0, w1, NAME##_tile, xp, &rq);                                                 \
    }

#define QT_DEFINE_CONV_AVX2(NAME, IN_T, W_T, G, STEP)                                                   \
    QT_INLINE void NAME##_tile(const qt_conv_args *a, const IN_T *xp, const qt_upward_tables *rq, int ob, int oh, \
                               int ow0, int T) {                                                        \
        QT_TILE_GEOMETRY(IN_T, W_T, G, 8);                                                              \
        __m256i acc[QT_MAX_OWT][4];                                                                     \
        QT_FOR_TILE {                                                                                   \
            acc[t][v] = _mm256_loadu_si256((const __m256i *) (a->bias + ch0 + 8 * v));                  \
        }                                                                                               \
        QT_TILE_TAPS(IN_T, W_T, G, QT_TILE_STEP, IN_T, W_T, STEP);                                      \
        QT_FOR_TILE {                                                                                   \
            qt_epilogue8_avx2(acc[t][v], ch0 + 8 * v, count - 8 * v, a->mant, a->shift, rq->add, rq->sub,  \
                              rq->sft, a->rounding, a->lo, a->hi, a->zy, a->y, a->yk,                   \
                              ybase + (size_t) t * a->OCP + 8 * v);                                     \
        }                                                                                               \
    }                                                                                                   \
    QT_DEFINE_CONV_ITEMS(NAME, IN_T, 8)

QT_DEFINE_CONV_AVX2(qt_conv16_avx2, int16_t, int16_t, 2, QT_STEP16)
QT_DEFINE_CONV_AVX2(qt_conv8_avx2, uint8_t, int8_t, 4, QT_STEP8)

/*
 * Depthwise convolution (group = C = OC, CP a multiple of 8), NHWC, vectorised over channels, on
 * the halo-padded input of the direct kernel (unsigned 8-bit, i8 offset by +128 with the bias
 * carrying -128 * sum(w); or int16 for 16-bit activations; padding the input zero point, offset
 * likewise). Weights are int32 [KH*KW][CP] holding
 * (w & 0xffff): as int16 pairs (w, 0), so vpmaddwd of a zero- or sign-extended input lane gives
 * exactly x * w. Work items are output rows; tiles of DWT pixels x 8 channels.
 */
#define QT_DW_TILE 4
#define QT_DEFINE_DEPTHWISE_AVX2(NAME, IN_T, LOAD8)                                                     \
    QT_INLINE void NAME(const IN_T *xp, int WP, int CP, const int32_t *wpk, const int32_t *bias,          \
                        const int32_t *mant, const int8_t *shift, int rounding, int lo, int hi, int zy, void *y, \
                        int yk, int OH, int OW, int KH, int KW, int SH, int SW, int DH, int DW, int w0, int w1) { \
        uint64_t radd[CP], rsub[CP], rsft[CP];                                                               \
        (void) OH;                                                                                           \
        qt_upward_constants(shift, CP, zy, radd, rsub, rsft);                                                \
        const int full = OW / QT_DW_TILE * QT_DW_TILE;                                                       \
        for (int oh = w0; oh < w1; oh++) {                                                                   \
            const IN_T *xr = xp + (size_t) oh * SH * WP * CP;                                                \
            for (int ow0 = 0; ow0 < OW; ow0 += QT_DW_TILE) {                                                 \
                const int nt = ow0 < full ? QT_DW_TILE : OW - full;                                          \
                for (int c = 0; c < CP; c += 8) {                                                            \
                    __m256i acc[QT_DW_TILE];                                                                 \
                    const __m256i b = _mm256_loadu_si256((const __m256i *) (bias + c));                      \
                    for (int t = 0; t < QT_DW_TILE; t++) {                                                   \
                        acc[t] = b;                                                                          \
                    }                                                                                        \
                    for (int kh = 0; kh < KH; kh++) {                                                        \
                        for (int kw = 0; kw < KW; kw++) {                                                    \
                            const __m256i wv = _mm256_loadu_si256((const __m256i *) (wpk + (size_t) (kh * KW + kw) * CP + c)); \
                            const IN_T *xt = xr + ((size_t) kh * DH * WP + (size_t) ow0 * SW + (size_t) kw * DW) * CP + c; \
                            for (int t = 0; t < QT_DW_TILE; t++) {                                           \
                                if (t < nt) {                                                                \
                                    acc[t] = _mm256_add_epi32(acc[t],                                        \
                                            _mm256_madd_epi16(LOAD8(xt + (size_t) t * SW * CP), wv));        \
                                }                                                                            \
                            }                                                                                \
                        }                                                                                    \
                    }                                                                                        \
                    for (int t = 0; t < nt; t++) {                                                           \
                        qt_epilogue8_avx2(acc[t], c, 8, mant, shift, radd, rsub, rsft, rounding, lo, hi, zy, y, yk, \
                                          ((size_t) oh * OW + ow0 + t) * CP + c);                            \
                    }                                                                                        \
                }                                                                                            \
            }                                                                                                \
        }                                                                                                    \
    }

#define QT_LOAD8_U8(p) _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *) (p)))
#define QT_LOAD8_I16(p) _mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *) (p)))
QT_DEFINE_DEPTHWISE_AVX2(qt_depthwise8_avx2, uint8_t, QT_LOAD8_U8)
QT_DEFINE_DEPTHWISE_AVX2(qt_depthwise16_avx2, int16_t, QT_LOAD8_I16)

/* Depthwise entry, in the two steps of qt_conv_prepare / qt_conv_part (work items: output rows). */
QT_INLINE const void *qt_depthwise_input(const void *x, int xk, int H, int W, int CP, int OH, int OW, int KH, int KW,
                                         int SH, int SW, int PT, int PL, int DH, int DW, int zx, void *scratch,
                                         int copy) {
    return qt_pad_input(x, xk, H, W, CP, CP, PT, PL, qt_padded_extent(H, PT, OH, SH, KH, DH),
                        qt_padded_extent(W, PL, OW, SW, KW, DW), xk == QT_I16 ? 16 : 8, zx, scratch, copy);
}

QT_INLINE void qt_depthwise_prepare(const qt_conv_args *a) {
    qt_depthwise_input(a->x, a->xk, a->H, a->W, a->CP, a->OH, a->OW, a->KH, a->KW, a->SH, a->SW, a->PT, a->PL, a->DH,
                       a->DW, a->zx, a->scratch, 1);
}

QT_INLINE void qt_depthwise_part(const qt_conv_args *a, int w0, int w1) {
    const void *in = qt_depthwise_input(a->x, a->xk, a->H, a->W, a->CP, a->OH, a->OW, a->KH, a->KW, a->SH, a->SW, a->PT,
                                        a->PL, a->DH, a->DW, a->zx, a->scratch, 0);
    const int WP = qt_padded_extent(a->W, a->PL, a->OW, a->SW, a->KW, a->DW);
    if (a->xk == QT_I16) {
        qt_depthwise16_avx2((const int16_t *) in, WP, a->CP, (const int32_t *) a->wpk, a->bias, a->mant, a->shift,
                            a->rounding, a->lo, a->hi, a->zy, a->y, a->yk, a->OH, a->OW, a->KH, a->KW, a->SH, a->SW,
                            a->DH, a->DW, w0, w1);
    } else {
        qt_depthwise8_avx2((const uint8_t *) in, WP, a->CP, (const int32_t *) a->wpk, a->bias, a->mant, a->shift,
                           a->rounding, a->lo, a->hi, a->zy, a->y, a->yk, a->OH, a->OW, a->KH, a->KW, a->SH, a->SW,
                           a->DH, a->DW, w0, w1);
    }
}

/* 8 elements of an integer tensor as int32 lanes. */
QT_INLINE __m256i qt_load8_i32(const void *p, int kind, size_t i) {
    if (kind == QT_U8) {
        return _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *) ((const uint8_t *) p + i)));
    }
    if (kind == QT_I8) {
        return _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *) ((const int8_t *) p + i)));
    }
    return _mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *) ((const int16_t *) p + i)));
}

/*
 * apply(M, a) + z rounding upward for 8 int32 lanes a, as 64-bit lanes (even and odd elements),
 * unsaturated; z is folded into the subtrahend as in qt_upward_constants.
 */
QT_INLINE void qt_apply_upward8(__m256i a, int32_t m, int n, int z, __m256i *even, __m256i *odd) {
    const __m256i mv = _mm256_set1_epi64x(m);
    const __m256i add = _mm256_set1_epi64x((long long) qt_upward_add(n));
    const __m256i sub = _mm256_set1_epi64x((long long) qt_upward_sub(n, z));
    const __m128i sh = _mm_cvtsi32_si128(n);
    *even = _mm256_sub_epi64(_mm256_srl_epi64(_mm256_add_epi64(_mm256_mul_epi32(a, mv), add), sh), sub);
    *odd = _mm256_sub_epi64(_mm256_srl_epi64(_mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(a, 32), mv), add), sh),
                            sub);
}

/*
 * floor((s + 2^(k-1)) / 2^k) + z for 64-bit lanes s (|s| < 2^62), k in [0, 16]: the bias 2^63 makes
 * the logical shift an arithmetic one, and is taken back with z in one subtraction.
 */
QT_INLINE __m256i qt_round_shift_upward64(__m256i s, int k, int z) {
    const __m256i add = _mm256_set1_epi64x((long long) qt_upward_add(k));
    const __m256i sub = _mm256_set1_epi64x((long long) qt_upward_sub(k, z));
    return _mm256_sub_epi64(_mm256_srl_epi64(_mm256_add_epi64(s, add), _mm_cvtsi32_si128(k)), sub);
}

/*
 * qt_add rounding upward, 8 elements at a time (n a multiple of 8); exact as the scalar one. The
 * differences a - za and b - zb fit int32 (8- and 16-bit operands); each is rescaled with k extra
 * bits (multipliers ma 2^-na, mb 2^-nb already carry them), the sum rounded by k, zy added.
 */
QT_INLINE void qt_add_upward_avx2(const void *a, int ak, const void *b, int bk, void *y, int yk, size_t n, int32_t ma,
                                  int na, int32_t mb, int nb, int k, int lo, int hi, int za, int zb, int zy) {
    const __m256i vlo = _mm256_set1_epi64x(lo);
    const __m256i vhi = _mm256_set1_epi64x(hi);
    const __m256i vza = _mm256_set1_epi32(za);
    const __m256i vzb = _mm256_set1_epi32(zb);
    for (size_t i = 0; i < n; i += 8) {
        __m256i ae, ao, be, bo;
        qt_apply_upward8(_mm256_sub_epi32(qt_load8_i32(a, ak, i), vza), ma, na, 0, &ae, &ao);
        qt_apply_upward8(_mm256_sub_epi32(qt_load8_i32(b, bk, i), vzb), mb, nb, 0, &be, &bo);
        const __m256i e = qt_clamp64(qt_round_shift_upward64(_mm256_add_epi64(ae, be), k, zy), vlo, vhi);
        const __m256i o = qt_clamp64(qt_round_shift_upward64(_mm256_add_epi64(ao, bo), k, zy), vlo, vhi);
        qt_store8_avx2(_mm256_blend_epi32(e, _mm256_slli_epi64(o, 32), 0xAA), y, yk, i);
    }
}

/* ---- the hooks of the integer entries (QT_DEFINE_INT_ENTRIES, qtune_int_kernels.h) ---- */

/* Whether the AVX2 direct kernel runs the layer: oc_block 8, 16 or 32, either dot. */
QT_INLINE int qt_conv_takes_avx2(const qt_conv_args *a) {
    return a->OB % 8 == 0 && a->OB <= 32;
}

/* The AVX2 direct kernel for either dot layout on work items [w0, w1), reading the halo-padded input xp. */
QT_INLINE void qt_conv_items_avx2(const qt_conv_args *a, const void *xp, int w0, int w1) {
    if (a->DOT == 8) {
        qt_conv8_avx2(a, (const uint8_t *) xp, w0, w1);
    } else {
        qt_conv16_avx2(a, (const int16_t *) xp, w0, w1);
    }
}

/* qt_add's vectorised head: rounding upward, the first n / 8 * 8 elements; returns how many it did. */
QT_INLINE size_t qt_add_head_avx2(const void *a, int ak, const void *b, int bk, void *y, int yk, size_t n, int32_t ma,
                                  int na, int32_t mb, int nb, int k, int rounding, int lo, int hi, int za, int zb,
                                  int zy) {
    if (rounding != QT_UPWARD) {
        return 0;
    }
    const size_t i0 = n / 8 * 8;
    qt_add_upward_avx2(a, ak, b, bk, y, yk, i0, ma, na, mb, nb, k, lo, hi, za, zb, zy);
    return i0;
}

#endif

/*
 * AVX-512 VNNI kernels (x86-avx512-vnni; qtune_kernels.h includes this header where QT_VNNI holds:
 * AVX-512 VNNI, BW and VL): the direct convolution's dot 8 on 512-bit vectors with vpdpbusd and its
 * dot 16 (16-bit activations) with vpdpwssd, on top of the AVX2 kernels (included below), which run
 * what they do not take.
 *
 * vpdpbusd multiplies four unsigned 8-bit inputs by four signed 8-bit weights and adds the four
 * products to an int32 lane, with no intermediate int16 (unlike vpmaddubsw, which saturates pair
 * sums): exact for every u8 input and int8 weight, so on this target dot 8 needs no check of the
 * weights against the input range (docs/integer-semantics.md, "Accumulation"; the int32 bound of
 * the layer is checked as for every kernel). The non-saturating form is used (vpdpbusd, not
 * vpdpbusds): the int32 accumulator cannot overflow where the code generator chose int32.
 *
 * Layouts are those of the AVX2 dot 8 kernel (halo-padded unsigned 8-bit input; weights int8
 * [ceil(OCP/OB)][KH*KW][CP/4][OB][4]), so one 64-byte load is 16 output channels x 4 input
 * channels: one zmm of weights. A tile is T output pixels x NV = OB/16 vectors of 16 output
 * channels, T * NV zmm accumulators (32 zmm registers); per group of four input channels the NV
 * weight vectors are loaded once and each pixel's four inputs broadcast once. The epilogue
 * requantizes each 16-lane accumulator at once (qt_epilogue16_vnni).
 */
#ifndef QTUNE_VNNI_KERNELS_H
#define QTUNE_VNNI_KERNELS_H

#include "qtune_common.h"

#if !QT_VNNI
#error "qtune_vnni_kernels.h needs AVX-512 VNNI, BW and VL (the flags of x86-avx512-vnni)"
#endif

#include "qtune_avx2_kernels.h"
#include <immintrin.h>

/*
 * Requantizes and stores 16 accumulators of output channels ch0.. (at most count of them real):
 * qt_requant_upward8's arithmetic on 512-bit vectors (64-bit products of the even and the odd
 * lanes, the rounding shift, the zero point in the subtrahend), clamped with 64-bit min/max and
 * narrowed by a masked down-converting store (the values are already in the output's range, so
 * it never saturates). Rounding to nearest takes the scalar path of the AVX2 epilogue, per half.
 */
QT_INLINE void qt_epilogue16_vnni(__m512i acc, int ch0, int count, const int32_t *mant, const int8_t *shift,
                                  const uint64_t *add, const uint64_t *sub, const uint64_t *sft, int rounding, int lo,
                                  int hi, int zy, void *y, int yk, size_t base, int narrow) {
    if (rounding != QT_UPWARD) {
        qt_epilogue8_avx2(_mm512_castsi512_si256(acc), ch0, count, mant, shift, add, sub, sft, rounding, lo, hi, zy, y,
                          yk, base);
        qt_epilogue8_avx2(_mm512_extracti64x4_epi64(acc, 1), ch0 + 8, count - 8, mant, shift, add, sub, sft, rounding,
                          lo, hi, zy, y, yk, base + 8);
        return;
    }
    const __m512i m = _mm512_loadu_si512((const void *) (mant + ch0));
    /* the odd lanes moved to the even ones by shuffles (port 5), not by 64-bit shifts (port 0, with the multiplies) */
    __m512i pe = _mm512_mul_epi32(acc, m);
    __m512i po = _mm512_mul_epi32(_mm512_shuffle_epi32(acc, _MM_PERM_DDBB), _mm512_shuffle_epi32(m, _MM_PERM_DDBB));
    pe = _mm512_add_epi64(pe, _mm512_loadu_si512((const void *) (add + ch0)));
    po = _mm512_add_epi64(po, _mm512_loadu_si512((const void *) (add + ch0 + 8)));
    pe = _mm512_sub_epi64(_mm512_srlv_epi64(pe, _mm512_loadu_si512((const void *) (sft + ch0))),
                          _mm512_loadu_si512((const void *) (sub + ch0)));
    po = _mm512_sub_epi64(_mm512_srlv_epi64(po, _mm512_loadu_si512((const void *) (sft + ch0 + 8))),
                          _mm512_loadu_si512((const void *) (sub + ch0 + 8)));
    __m512i r;
    if (narrow) {
        /* each value fits int32 (see qt_epilogue_narrow): clamp the 16 low halves as 32-bit lanes */
        r = _mm512_mask_shuffle_epi32(pe, (__mmask16) 0xAAAA, po, _MM_PERM_CCAA);
        r = _mm512_min_epi32(_mm512_max_epi32(r, _mm512_set1_epi32(lo)), _mm512_set1_epi32(hi));
    } else {
        const __m512i vlo = _mm512_set1_epi64(lo);
        const __m512i vhi = _mm512_set1_epi64(hi);
        pe = _mm512_min_epi64(_mm512_max_epi64(pe, vlo), vhi);
        po = _mm512_min_epi64(_mm512_max_epi64(po, vlo), vhi);
        r = _mm512_mask_shuffle_epi32(pe, (__mmask16) 0xAAAA, po, _MM_PERM_CCAA);
    }
    const __mmask16 k = count >= 16 ? (__mmask16) 0xFFFF : count <= 0 ? (__mmask16) 0 : (__mmask16) ((1u << count) - 1);
    if (yk == QT_U8) {
        _mm512_mask_cvtusepi32_storeu_epi8((uint8_t *) y + base, k, r);
    } else if (yk == QT_I8) {
        _mm512_mask_cvtsepi32_storeu_epi8((int8_t *) y + base, k, r);
    } else {
        _mm512_mask_cvtsepi32_storeu_epi16((int16_t *) y + base, k, r);
    }
}

/*
 * acc + the dot of x (unsigned 8-bit, or int16) and w (signed 8-bit, or int16) in place, as one
 * instruction whose accumulator is tied to its destination ("+v"). With the intrinsics
 * (_mm512_dpbusd_epi32 returns a new vector) GCC 12 gives the loop-carried accumulators of the
 * tile loop a fresh register each iteration and copies them back (about 30 vmovdqa and two spills
 * per 16 vpdpbusd): ResNet-18's 3x3 layers ran 272 GMAC/s that way and 300 with this form
 * (docs/results.md, "int8 at full speed").
 */
QT_INLINE __m512i qt_dpbusd_inplace(__m512i acc, __m512i x, __m512i w) {
    __asm__("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(x), "v"(w));
    return acc;
}

QT_INLINE __m512i qt_dpwssd_inplace(__m512i acc, __m512i x, __m512i w) {
    __asm__("vpdpwssd %2, %1, %0" : "+v"(acc) : "v"(x), "v"(w));
    return acc;
}

#define QT_VNNI_TILE_STEP(STEP, xp, wp)                                                                 \
    do {                                                                                                 \
        __m512i wv[4];                                                                                   \
        for (int v = 0; v < NV; v++) {                                                                   \
            wv[v] = _mm512_loadu_si512((const void *) ((wp) + (64 / sizeof(*(wp))) * v));                \
        }                                                                                                \
        for (int t = 0; t < T; t++) {                                                                    \
            /* a broadcast from memory (load ports only), not through a general register */              \
            const __m512i xv = _mm512_broadcastd_epi32(_mm_loadu_si32((xp) + (size_t) t * XS));           \
            for (int v = 0; v < NV; v++) {                                                               \
                acc[t][v] = STEP(acc[t][v], xv, wv[v]);                                                  \
            }                                                                                            \
        }                                                                                                \
    } while (0)

/*
 * The direct kernel on 512-bit vectors for one dot layout: G input channels per 32-bit group
 * (4 u8 for dot 8, 2 int16 for dot 16), STEP the in-place dot (vpdpbusd, vpdpwssd: both add
 * their products to the int32 lane with no saturation, exact where the layer's int32 bound holds).
 */
#define QT_DEFINE_CONV_VNNI(NAME, IN_T, W_T, G, STEP)                                                   \
    QT_INLINE void NAME##_tile(const qt_conv_args *a, const IN_T *xp, const qt_upward_tables *rq, int ob, int oh, \
                               int ow0, int T) {                                                        \
        QT_TILE_GEOMETRY(IN_T, W_T, G, 16);                                                             \
        __m512i acc[QT_MAX_OWT][4];                                                                     \
        QT_FOR_TILE {                                                                                   \
            acc[t][v] = _mm512_loadu_si512((const void *) (a->bias + ch0 + 16 * v));                    \
        }                                                                                               \
        QT_TILE_TAPS(IN_T, W_T, G, QT_VNNI_TILE_STEP, STEP);                                            \
        QT_FOR_TILE {                                                                                   \
            qt_epilogue16_vnni(acc[t][v], ch0 + 16 * v, count - 16 * v, a->mant, a->shift, rq->add, rq->sub, \
                               rq->sft, a->rounding, a->lo, a->hi, a->zy, a->y, a->yk,                  \
                               ybase + (size_t) t * a->OCP + 16 * v, rq->narrow);                                   \
        }                                                                                               \
    }                                                                                                   \
    /* The kernel on work items [w0, w1), reading the halo-padded input xp (as qt_conv_items_avx2). */  \
    QT_DEFINE_CONV_ITEMS(NAME, IN_T, 16)

QT_DEFINE_CONV_VNNI(qt_conv8_vnni, uint8_t, int8_t, 4, qt_dpbusd_inplace)
QT_DEFINE_CONV_VNNI(qt_conv16_vnni, int16_t, int16_t, 2, qt_dpwssd_inplace)

/* 16 elements of an integer tensor as int32 lanes. */
QT_INLINE __m512i qt_load16_i32(const void *p, int kind, size_t i) {
    if (kind == QT_U8) {
        return _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *) ((const uint8_t *) p + i)));
    }
    if (kind == QT_I8) {
        return _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *) ((const int8_t *) p + i)));
    }
    return _mm512_cvtepi16_epi32(_mm256_loadu_si256((const __m256i *) ((const int16_t *) p + i)));
}

/*
 * apply(M, a) rounding upward for 16 int32 lanes a, as 64-bit lanes of the even and the odd
 * elements, unsaturated (qt_apply_upward8 on 512-bit vectors).
 */
QT_INLINE void qt_apply_upward16(__m512i a, int32_t m, int n, __m512i *even, __m512i *odd) {
    const __m512i mv = _mm512_set1_epi64(m);
    const __m512i add = _mm512_set1_epi64((long long) qt_upward_add(n));
    const __m512i sub = _mm512_set1_epi64((long long) qt_upward_sub(n, 0));
    const __m128i sh = _mm_cvtsi32_si128(n);
    *even = _mm512_sub_epi64(_mm512_srl_epi64(_mm512_add_epi64(_mm512_mul_epi32(a, mv), add), sh), sub);
    *odd = _mm512_sub_epi64(_mm512_srl_epi64(_mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(a, 32), mv), add),
                                             sh), sub);
}

/* v clamped to [lo, hi], 64-bit lanes. */
QT_INLINE __m512i qt_clamp64x8(__m512i v, int lo, int hi) {
    return _mm512_min_epi64(_mm512_max_epi64(v, _mm512_set1_epi64(lo)), _mm512_set1_epi64(hi));
}

/* floor((s + 2^(k-1)) / 2^k) + z for 64-bit lanes s, k in [0, 16] (qt_round_shift_upward64 on 512 bits). */
QT_INLINE __m512i qt_round_shift_upward64x8(__m512i s, int k, int z) {
    const __m512i add = _mm512_set1_epi64((long long) qt_upward_add(k));
    const __m512i sub = _mm512_set1_epi64((long long) qt_upward_sub(k, z));
    return _mm512_sub_epi64(_mm512_srl_epi64(_mm512_add_epi64(s, add), _mm_cvtsi32_si128(k)), sub);
}

/*
 * qt_add rounding upward, 16 elements at a time (n a multiple of 16): qt_add_upward_avx2's
 * arithmetic on 512-bit vectors, the 64-bit clamp by min/max, a narrowing store.
 */
QT_INLINE void qt_add_upward_vnni(const void *a, int ak, const void *b, int bk, void *y, int yk, size_t n, int32_t ma,
                                  int na, int32_t mb, int nb, int k, int lo, int hi, int za, int zb, int zy) {
    const __m512i vza = _mm512_set1_epi32(za);
    const __m512i vzb = _mm512_set1_epi32(zb);
    for (size_t i = 0; i < n; i += 16) {
        __m512i ae, ao, be, bo;
        qt_apply_upward16(_mm512_sub_epi32(qt_load16_i32(a, ak, i), vza), ma, na, &ae, &ao);
        qt_apply_upward16(_mm512_sub_epi32(qt_load16_i32(b, bk, i), vzb), mb, nb, &be, &bo);
        const __m512i e = qt_clamp64x8(qt_round_shift_upward64x8(_mm512_add_epi64(ae, be), k, zy), lo, hi);
        const __m512i o = qt_clamp64x8(qt_round_shift_upward64x8(_mm512_add_epi64(ao, bo), k, zy), lo, hi);
        const __m512i r = _mm512_mask_blend_epi32((__mmask16) 0xAAAA, e, _mm512_slli_epi64(o, 32));
        if (yk == QT_U8) {
            _mm_storeu_si128((__m128i *) ((uint8_t *) y + i), _mm512_cvtusepi32_epi8(r));
        } else if (yk == QT_I8) {
            _mm_storeu_si128((__m128i *) ((int8_t *) y + i), _mm512_cvtsepi32_epi8(r));
        } else {
            _mm256_storeu_si256((__m256i *) ((int16_t *) y + i), _mm512_cvtsepi32_epi16(r));
        }
    }
}

/* ---- the hooks of the integer entries (QT_DEFINE_INT_ENTRIES, qtune_int_kernels.h) ---- */

/*
 * Whether a VNNI kernel runs a layer: dot 8 with oc_block 16, 32 or 64; dot 16 with oc_block 16
 * or 32 (where the AVX2 kernel would, on the same input layout).
 */
QT_INLINE int qt_conv8_vnni_takes(const qt_conv_args *a) {
    return a->DOT == 8 && a->OB % 16 == 0 && a->OB <= 64;
}

QT_INLINE int qt_conv16_vnni_takes(const qt_conv_args *a) {
    return a->DOT == 16 && a->OB % 16 == 0 && a->OB <= 32;
}

/* Whether a SIMD kernel of this target (a VNNI one, else the AVX2 one) runs the layer. */
QT_INLINE int qt_conv_takes_vnni(const qt_conv_args *a) {
    return qt_conv8_vnni_takes(a) || qt_conv16_vnni_takes(a) || qt_conv_takes_avx2(a);
}

/* That kernel on work items [w0, w1), reading the halo-padded input xp. */
QT_INLINE void qt_conv_items_vnni(const qt_conv_args *a, const void *xp, int w0, int w1) {
    if (qt_conv8_vnni_takes(a)) {
        qt_conv8_vnni(a, (const uint8_t *) xp, w0, w1);
    } else if (qt_conv16_vnni_takes(a)) {
        qt_conv16_vnni(a, (const int16_t *) xp, w0, w1);
    } else {
        qt_conv_items_avx2(a, xp, w0, w1);
    }
}

/* qt_add's vectorised head: rounding upward, the first n / 16 * 16 elements; returns how many it did. */
QT_INLINE size_t qt_add_head_vnni(const void *a, int ak, const void *b, int bk, void *y, int yk, size_t n, int32_t ma,
                                  int na, int32_t mb, int nb, int k, int rounding, int lo, int hi, int za, int zb,
                                  int zy) {
    if (rounding != QT_UPWARD) {
        return 0;
    }
    const size_t i0 = n / 16 * 16;
    qt_add_upward_vnni(a, ak, b, bk, y, yk, i0, ma, na, mb, nb, k, lo, hi, za, zb, zy);
    return i0;
}

#endif

/*
 * Portable integer kernels: the definition of the arithmetic (docs/integer-semantics.md), run by
 * the generic-c target and, on the others, by the layers their SIMD kernels do not take.
 * Accumulation is exact: int32 where the layer's worst case fits ("Exact accumulation"), int64
 * otherwise (the _wide variants), and the summation order is free. Also the integer entries that
 * dispatch to an ISA's kernels (QT_DEFINE_INT_ENTRIES, instantiated by qtune_kernels.h).
 */
#ifndef QTUNE_INT_KERNELS_H
#define QTUNE_INT_KERNELS_H

#include "qtune_common.h"

/*
 * Convolution (group 1) and dense layers, NHWC, direct: for each output row, tiles of OWT output
 * pixels x OB output channels are accumulated in registers over (kh, kw, input channel groups).
 * Two layouts of the inner product ("dot", chosen per layer by the code generator):
 *
 * - dot 16: the input is widened to int16 (scratch, unless it is int16 already) and weights are
 *   packed int16 [ceil(OCP/OB)][KH*KW][CP/2][OB][2]: a pair of input channels times OB weight
 *   pairs, one vpmaddwd on AVX2; exact for any operands (a pair sum of int16 products fits int32).
 * - dot 8: inputs are unsigned 8-bit (u8 as stored; i8 offset by +128 into scratch, the bias
 *   carrying -128 * sum(w) so the sum is unchanged, padding reading zx + 128) and weights
 *   packed int8 [ceil(OCP/OB)][KH*KW][CP/4][OB][4]: vpmaddubsw + vpmaddwd on AVX2. Chosen only
 *   where no int16 pair sum can saturate (the generator checks weights against the input range).
 *
 * Bias, mantissa and shift arrays have ceil(OCP/OB)*OB entries. Input pixels outside the image
 * read the pad row ("zero": CP elements of the input's zero point zx in the dot layout's type, so
 * zx + 128 for an i8 input on dot 8); the epilogue adds the output zero point zy after the
 * multiplier (qt_clamp_zp). The portable versions below define the arithmetic; the SIMD ones
 * (qtune_avx2_kernels.h, qtune_vnni_kernels.h, qtune_neon_kernels.h) are fast.
 */

/* The input rows (pixel pointers, or the pad row) of a tile of T pixels at tap (kh, kw); esize bytes per element. */
QT_INLINE void qt_tile_rows(const qt_conv_args *a, const void *x, int esize, int oh, int ow0, int T, int kh, int kw,
                            const void **row) {
    const int ih = oh * a->SH - a->PT + kh * a->DH;
    for (int t = 0; t < T; t++) {
        const int iw = (ow0 + t) * a->SW - a->PL + kw * a->DW;
        row[t] = ih >= 0 && ih < a->H && iw >= 0 && iw < a->W
                ? (const char *) x + ((size_t) ih * a->W + iw) * a->CP * esize : a->zero;
    }
}

/*
 * The portable direct kernel (DOT the dot layout: a->DOT, or 16 for the wide variant): one tile of
 * T pixels x OB channels accumulated in ACC_T, reading the input x (converted, not padded) through
 * row pointers, pixels in the padding reading the pad row a->zero.
 */
#define QT_DEFINE_CONV(NAME, ACC_T, APPLY, DOT_OF_A)                                                    \
    QT_INLINE void NAME##_tile(const qt_conv_args *a, const void *x, int ob, int oh, int ow0, int T) {   \
        const int DOT = (DOT_OF_A);                                                                      \
        const int G = DOT == 8 ? 4 : 2;                                                                  \
        const int OB = a->OB, CP = a->CP, KH = a->KH, KW = a->KW;                                        \
        const size_t wb = (size_t) ob * KH * KW * CP * OB;                                               \
        const int oend = a->OCP - ob * OB < OB ? a->OCP - ob * OB : OB;                                  \
        ACC_T acc[QT_MAX_OWT][QT_MAX_OB];                                                                \
        for (int t = 0; t < T; t++) {                                                                    \
            for (int o = 0; o < OB; o++) {                                                               \
                acc[t][o] = a->bias[ob * OB + o];                                                        \
            }                                                                                            \
        }                                                                                                \
        for (int kh = 0; kh < KH; kh++) {                                                                \
            for (int kw = 0; kw < KW; kw++) {                                                            \
                const void *row[QT_MAX_OWT];                                                             \
                qt_tile_rows(a, x, DOT == 8 ? 1 : 2, oh, ow0, T, kh, kw, row);                           \
                const size_t wk = wb + (size_t) (kh * KW + kw) * CP * OB;                                \
                for (int c = 0; c < CP; c += G) {                                                        \
                    const size_t wc = wk + (size_t) c * OB;                                              \
                    for (int t = 0; t < T; t++) {                                                        \
                        if (DOT == 8) {                                                                  \
                            const uint8_t *r = (const uint8_t *) row[t] + c;                             \
                            const int8_t *w8 = (const int8_t *) a->wpk + wc;                             \
                            for (int o = 0; o < OB; o++) {                                               \
                                acc[t][o] += (ACC_T) r[0] * w8[4 * o] + r[1] * w8[4 * o + 1]             \
                                        + r[2] * w8[4 * o + 2] + r[3] * w8[4 * o + 3];                   \
                            }                                                                            \
                        } else {                                                                         \
                            const int16_t *r = (const int16_t *) row[t] + c;                             \
                            const int16_t *w16 = (const int16_t *) a->wpk + wc;                          \
                            for (int o = 0; o < OB; o++) {                                               \
                                acc[t][o] += (ACC_T) r[0] * w16[2 * o] + (ACC_T) r[1] * w16[2 * o + 1];  \
                            }                                                                            \
                        }                                                                                \
                    }                                                                                    \
                }                                                                                        \
            }                                                                                            \
        }                                                                                                \
        for (int t = 0; t < T; t++) {                                                                    \
            const size_t base = ((size_t) oh * a->OW + ow0 + t) * a->OCP + (size_t) ob * OB;            \
            for (int o = 0; o < oend; o++) {                                                             \
                const int ch = ob * OB + o;                                                              \
                qt_store(a->y, a->yk, base + o, qt_clamp_zp(APPLY(acc[t][o], a->mant[ch], a->shift[ch],  \
                                                                  a->rounding), a->zy, a->lo, a->hi));   \
            }                                                                                            \
        }                                                                                                \
    }                                                                                                    \
    QT_INLINE void NAME(const qt_conv_args *a, const void *x, int w0, int w1) {                          \
        QT_CONV_ITEMS(a, w0, w1, NAME##_tile, x);                                                        \
    }

QT_DEFINE_CONV(qt_conv_generic, int32_t, qt_apply, a->DOT)
QT_DEFINE_CONV(qt_conv_wide_generic, int64_t, qt_apply_wide, 16)

/*
 * The input the direct kernel reads, x itself or scratch: halo-padded (qt_pad_input) for a SIMD
 * kernel (simd set), else converted to the dot layout's type. Fills scratch when copy is set.
 */
QT_INLINE const void *qt_conv_input(const qt_conv_args *a, int simd, int copy) {
    if (simd) {
        return qt_pad_input(a->x, a->xk, a->H, a->W, a->CP, a->CC, a->PT, a->PL,
                            qt_padded_extent(a->H, a->PT, a->OH, a->SH, a->KH, a->DH),
                            qt_padded_extent(a->W, a->PL, a->OW, a->SW, a->KW, a->DW), a->DOT, a->zx, a->scratch, copy);
    }
    const size_t n = (size_t) a->H * a->W * a->CP;
    return a->DOT == 8 ? (const void *) qt_unsigned8(a->x, a->xk, n, (uint8_t *) a->scratch, copy)
                       : (const void *) qt_widen(a->x, a->xk, n, a->scratch, copy);
}

/*
 * The direct convolution with int64 accumulators (dot 16 only, portable kernel), in the two steps of
 * qt_conv_prepare and qt_conv_part (below): layers whose worst case overflows int32.
 */
QT_INLINE void qt_conv_wide_prepare(const qt_conv_args *a) {
    qt_widen(a->x, a->xk, (size_t) a->H * a->W * a->CP, a->scratch, 1);
}

QT_INLINE void qt_conv_wide_part(const qt_conv_args *a, int w0, int w1) {
    qt_conv_wide_generic(a, qt_widen(a->x, a->xk, (size_t) a->H * a->W * a->CP, a->scratch, 0), w0, w1);
}

/*
 * Grouped convolution (depthwise included), NHWC, one output channel at a time: the general
 * case. Weights are int16 [OC][KH*KW][C/group] (OIHW with the taps before the channels): int8, or a
 * pre-quantized model's 8-bit weights less a zero point that leaves them 9-bit. Taps in the
 * padding read the input zero point zx; the output stage adds zy. The fields are read into locals
 * before the OpenMP region, so the outlined region receives them by value, as scalars.
 */
#define QT_DEFINE_CONV_GROUPED(NAME, ACC_T, APPLY)                                                      \
    QT_INLINE void NAME(const qt_conv_args *a) {                                                          \
        const void *x = a->x;                                                                                \
        const int xk = a->xk, H = a->H, W = a->W, CP = a->CP;                                                \
        const int16_t *w = (const int16_t *) a->wpk;                                                         \
        const int32_t *bias = a->bias, *mant = a->mant;                                                      \
        const int8_t *shift = a->shift;                                                                      \
        const int rounding = a->rounding, lo = a->lo, hi = a->hi, zy = a->zy;                                \
        void *y = a->y;                                                                                      \
        const int yk = a->yk, OH = a->OH, OW = a->OW, OC = a->OC, OCP = a->OCP;                              \
        const int KH = a->KH, KW = a->KW, SH = a->SH, SW = a->SW, PT = a->PT, PL = a->PL, DH = a->DH, DW = a->DW; \
        const int zx = a->zx;                                                                                \
        const int cg = a->C / a->group;                                                                      \
        const int mg = OC / a->group;                                                                        \
        _Pragma("omp parallel for schedule(static) num_threads(qt_threads) if(qt_threads > 1)")             \
        for (int oh = 0; oh < OH; oh++) {                                                                    \
            for (int ow = 0; ow < OW; ow++) {                                                                \
                const size_t obase = ((size_t) oh * OW + ow) * OCP;                                          \
                for (int o = 0; o < OC; o++) {                                                               \
                    const int c0 = (o / mg) * cg;                                                            \
                    ACC_T acc = bias[o];                                                                     \
                    for (int kh = 0; kh < KH; kh++) {                                                        \
                        const int ih = oh * SH - PT + kh * DH;                                               \
                        if ((ih < 0 || ih >= H) && zx == 0) {                                                \
                            continue;                                                                        \
                        }                                                                                    \
                        for (int kw = 0; kw < KW; kw++) {                                                    \
                            const int iw = ow * SW - PL + kw * DW;                                           \
                            const int16_t *wt = w + ((size_t) o * KH * KW + kh * KW + kw) * cg;              \
                            if (ih < 0 || ih >= H || iw < 0 || iw >= W) {                                    \
                                for (int c = 0; c < cg && zx != 0; c++) {                                    \
                                    acc += (ACC_T) zx * wt[c];                                               \
                                }                                                                            \
                                continue;                                                                    \
                            }                                                                                \
                            const size_t xb = ((size_t) ih * W + iw) * CP + c0;                              \
                            for (int c = 0; c < cg; c++) {                                                   \
                                acc += (ACC_T) qt_load(x, xk, xb + c) * wt[c];                               \
                            }                                                                                \
                        }                                                                                    \
                    }                                                                                        \
                    qt_store(y, yk, obase + o, qt_clamp_zp(APPLY(acc, mant[o], shift[o], rounding), zy, lo, hi)); \
                }                                                                                            \
                for (int o = OC; o < OCP; o++) {                                                             \
                    qt_store(y, yk, obase + o, 0);                                                           \
                }                                                                                            \
            }                                                                                                \
        }                                                                                                    \
    }

QT_DEFINE_CONV_GROUPED(qt_conv_grouped, int32_t, qt_apply)
QT_DEFINE_CONV_GROUPED(qt_conv_grouped_wide, int64_t, qt_apply_wide)

/*
 * Depthwise convolution (group = C = OC), NHWC, vectorised over channels. Weights are int16
 * [KH*KW][CP] (zeros at padded channels). Taps in the padding read the input zero point zx.
 */
QT_INLINE void qt_conv_depthwise(const qt_conv_args *a) {
    const void *x = a->x;
    const int xk = a->xk, H = a->H, W = a->W, CP = a->CP;
    const int16_t *w = (const int16_t *) a->wpk;
    const int32_t *bias = a->bias, *mant = a->mant;
    const int8_t *shift = a->shift;
    const int rounding = a->rounding, lo = a->lo, hi = a->hi, zy = a->zy;
    void *y = a->y;
    const int yk = a->yk, OH = a->OH, OW = a->OW;
    const int KH = a->KH, KW = a->KW, SH = a->SH, SW = a->SW, PT = a->PT, PL = a->PL, DH = a->DH, DW = a->DW;
    const int zx = a->zx;
    _Pragma("omp parallel for schedule(static) num_threads(qt_threads) if(qt_threads > 1)")
    for (int oh = 0; oh < OH; oh++) {
        int32_t acc[CP];
        for (int ow = 0; ow < OW; ow++) {
            for (int c = 0; c < CP; c++) {
                acc[c] = bias[c];
            }
            for (int kh = 0; kh < KH; kh++) {
                const int ih = oh * SH - PT + kh * DH;
                if ((ih < 0 || ih >= H) && zx == 0) {
                    continue;
                }
                for (int kw = 0; kw < KW; kw++) {
                    const int iw = ow * SW - PL + kw * DW;
                    const int16_t *wt = w + (size_t) (kh * KW + kw) * CP;
                    if (ih < 0 || ih >= H || iw < 0 || iw >= W) {
                        for (int c = 0; c < CP && zx != 0; c++) {
                            acc[c] += zx * (int32_t) wt[c];
                        }
                        continue;
                    }
                    const size_t xb = ((size_t) ih * W + iw) * CP;
                    for (int c = 0; c < CP; c++) {
                        acc[c] += qt_load(x, xk, xb + c) * (int32_t) wt[c];
                    }
                }
            }
            const size_t ob = ((size_t) oh * OW + ow) * CP;
            for (int c = 0; c < CP; c++) {
                qt_store(y, yk, ob + c, qt_clamp_zp(qt_apply(acc[c], mant[c], shift[c], rounding), zy, lo, hi));
            }
        }
    }
}

/*
 * QAdd (integer-semantics.md, "Add and Concat") on elements [i0, n): y = clamp(apply(Ma, a - za) +
 * apply(Mb, b - zb) + zy), each input less its zero point times its multiplier, which carries k
 * extra bits (ma 2^-na is M_a 2^k), the sum rounded once by k. qt_add (the entry) runs an ISA's
 * vectorised head first, then this on the rest.
 */
QT_INLINE void qt_add_range(const void *a, int ak, const void *b, int bk, void *y, int yk, size_t i0, size_t n,
                            int32_t ma, int na, int32_t mb, int nb, int k, int rounding, int lo, int hi, int za, int zb,
                            int zy) {
    for (size_t i = i0; i < n; i++) {
        int64_t sum = qt_apply(qt_load(a, ak, i) - za, ma, na, rounding)
                + qt_apply(qt_load(b, bk, i) - zb, mb, nb, rounding);
        int64_t v = rounding == QT_UPWARD || sum >= 0 ? qt_round_shift(sum, k) : -qt_round_shift(-sum, k);
        qt_store(y, yk, i, qt_clamp_zp(v, zy, lo, hi));
    }
}

/*
 * One input of a channel concat (QConcat, axis 1): its C channels land at channel offset c0, as
 * clamp(apply(M, x - zx) + zy).
 */
QT_INLINE void qt_concat_part(const void *x, int xk, int C, int CP, void *y, int yk, int YCP, int c0, int HW,
                              int32_t m, int n, int rounding, int lo, int hi, int zx, int zy) {
    for (int i = 0; i < HW; i++) {
        for (int c = 0; c < C; c++) {
            int64_t v = qt_apply(qt_load(x, xk, (size_t) i * CP + c) - zx, m, n, rounding);
            qt_store(y, yk, (size_t) i * YCP + c0 + c, qt_clamp_zp(v, zy, lo, hi));
        }
    }
}

/* max(q, 0) element-wise (an unfused integer Relu). */
QT_INLINE void qt_relu_int(const void *x, void *y, int kind, size_t n) {
    for (size_t i = 0; i < n; i++) {
        int32_t v = qt_load(x, kind, i);
        qt_store(y, kind, i, v > 0 ? v : 0);
    }
}

/* round(sum / count), ties away from zero (integer-semantics.md, "Pools"). */
QT_INLINE int32_t qt_rounded_divide(int64_t sum, int count) {
    int64_t mag = sum < 0 ? -sum : sum;
    int64_t q = (2 * mag + count) / (2 * (int64_t) count);
    return (int32_t) (sum < 0 ? -q : q);
}

/*
 * Max pool of one element type T, NHWC: per output pixel the window's taps inside the image, then
 * an elementwise max over the channel row of each tap (a loop the compiler vectorises: vpmaxub,
 * vpmaxsb, vpmaxsw). A window with no tap in the image gives 0.
 */
#define QT_DEFINE_MAXPOOL(NAME, T)                                                                      \
    QT_INLINE void NAME(const T *x, T *y, int H, int W, int CP, int OH, int OW, int KH, int KW, int SH, int SW, \
                        int PT, int PL, int DH, int DW) {                                               \
        for (int oh = 0; oh < OH; oh++) {                                                               \
            for (int ow = 0; ow < OW; ow++) {                                                           \
                T *yo = y + ((size_t) oh * OW + ow) * CP;                                               \
                int first = 1;                                                                          \
                for (int kh = 0; kh < KH; kh++) {                                                       \
                    const int ih = oh * SH - PT + kh * DH;                                              \
                    for (int kw = 0; kw < KW && ih >= 0 && ih < H; kw++) {                              \
                        const int iw = ow * SW - PL + kw * DW;                                          \
                        if (iw < 0 || iw >= W) {                                                        \
                            continue;                                                                   \
                        }                                                                               \
                        const T *xi = x + ((size_t) ih * W + iw) * CP;                                  \
                        if (first) {                                                                    \
                            memcpy(yo, xi, (size_t) CP * sizeof(T));                                    \
                            first = 0;                                                                  \
                            continue;                                                                   \
                        }                                                                               \
                        for (int c = 0; c < CP; c++) {                                                  \
                            yo[c] = xi[c] > yo[c] ? xi[c] : yo[c];                                      \
                        }                                                                               \
                    }                                                                                   \
                }                                                                                       \
                if (first) {                                                                            \
                    memset(yo, 0, (size_t) CP * sizeof(T));                                             \
                }                                                                                       \
            }                                                                                           \
        }                                                                                               \
    }

QT_DEFINE_MAXPOOL(qt_maxpool_u8, uint8_t)
QT_DEFINE_MAXPOOL(qt_maxpool_i8, int8_t)
QT_DEFINE_MAXPOOL(qt_maxpool_i16, int16_t)

/*
 * Max or average pool, NHWC. Padding never wins a max; an average is z + round(S / count) with S
 * the sum of (q - z) over the window's image elements (padding is real 0 and adds nothing) and the
 * window's element count (count_include_pad: the positions inside the explicit pads count too);
 * z is the input's zero point (a max ignores it).
 */
QT_INLINE void qt_pool_int(const void *x, void *y, int kind, int H, int W, int CP, int OH, int OW, int KH, int KW,
                           int SH, int SW, int PT, int PL, int PB, int PR, int DH, int DW, int is_max,
                           int count_pad, int z) {
    if (is_max && kind == QT_U8) {
        qt_maxpool_u8((const uint8_t *) x, (uint8_t *) y, H, W, CP, OH, OW, KH, KW, SH, SW, PT, PL, DH, DW);
        return;
    }
    if (is_max && kind == QT_I8) {
        qt_maxpool_i8((const int8_t *) x, (int8_t *) y, H, W, CP, OH, OW, KH, KW, SH, SW, PT, PL, DH, DW);
        return;
    }
    if (is_max) {
        qt_maxpool_i16((const int16_t *) x, (int16_t *) y, H, W, CP, OH, OW, KH, KW, SH, SW, PT, PL, DH, DW);
        return;
    }
    /* an average pool */
    for (int oh = 0; oh < OH; oh++) {
        for (int ow = 0; ow < OW; ow++) {
            const size_t ob = ((size_t) oh * OW + ow) * CP;
            for (int c = 0; c < CP; c++) {
                int64_t acc = 0;
                int n = 0;
                int padded = 0;
                for (int kh = 0; kh < KH; kh++) {
                    const int ih = oh * SH - PT + kh * DH;
                    for (int kw = 0; kw < KW; kw++) {
                        const int iw = ow * SW - PL + kw * DW;
                        if (ih < H + PB && iw < W + PR) {
                            padded++;
                        }
                        if (ih >= 0 && ih < H && iw >= 0 && iw < W) {
                            int32_t v = qt_load(x, kind, ((size_t) ih * W + iw) * CP + c);
                            acc += v - z;
                            n++;
                        }
                    }
                }
                qt_store(y, kind, ob + c, z + qt_rounded_divide(acc, count_pad ? padded : (n > 0 ? n : 1)));
            }
        }
    }
}

/* Global average pool, NHWC [HW][CP] to [CP]: z + round(sum of (q - z) / HW), z the zero point. */
QT_INLINE void qt_global_avg_pool_int(const void *x, void *y, int kind, int HW, int CP, int z) {
    for (int c = 0; c < CP; c++) {
        int64_t sum = 0;
        for (int i = 0; i < HW; i++) {
            sum += qt_load(x, kind, (size_t) i * CP + c) - z;
        }
        qt_store(y, kind, c, z + qt_rounded_divide(sum, HW));
    }
}

/* ---- the entries, bound to the target's ISA by qtune_kernels.h ---- */

/*
 * The portable target's hooks: no SIMD kernel takes a layer, no vectorised head of qt_add. An ISA
 * header defines the same three for its ISA (qt_conv_takes_avx2, qt_conv_items_avx2,
 * qt_add_head_avx2, ...).
 */
#define qt_conv_takes_generic(a) 0
#define qt_conv_items_generic(a, xp, w0, w1) ((void) 0)
#define qt_add_head_generic(...) ((size_t) 0)

/*
 * The integer entries that dispatch to an ISA's kernels, defined once here and instantiated once,
 * by qtune_kernels.h, for the ISA its #if/#elif chain picked (vnni, avx2, neon or generic), from
 * that ISA's hooks: qt_conv_takes_ISA(a), whether its SIMD direct kernel runs the layer (reading
 * the halo-padded copy); qt_conv_items_ISA(a, xp, w0, w1), that kernel on work items [w0, w1);
 * qt_add_head_ISA(...), qt_add's vectorised head, returning how many elements it did.
 *
 * The direct convolution runs in two steps so that generated code can split the work items
 * (ceil(OCP/OB) channel blocks x OH output rows, block-major) over threads with every shape still
 * a literal in the caller: qt_conv_prepare converts (for a SIMD kernel, halo-pads) the input into
 * scratch once, on the calling thread; qt_conv_part computes items [w0, w1). qt_conv does both on
 * one thread (tools and tests).
 */
#define QT_DEFINE_INT_ENTRIES(ISA)                                                                      \
    QT_INLINE void qt_conv_prepare(const qt_conv_args *a) {                                              \
        qt_conv_input(a, qt_conv_takes_##ISA(a), 1);                                                     \
    }                                                                                                    \
    QT_INLINE void qt_conv_part(const qt_conv_args *a, int w0, int w1) {                                 \
        const int simd = qt_conv_takes_##ISA(a);                                                         \
        const void *in = qt_conv_input(a, simd, 0);                                                      \
        if (simd) {                                                                                      \
            qt_conv_items_##ISA(a, in, w0, w1);                                                          \
        } else {                                                                                         \
            qt_conv_generic(a, in, w0, w1);                                                              \
        }                                                                                                \
    }                                                                                                    \
    QT_INLINE void qt_conv(const qt_conv_args *a) {                                                      \
        qt_conv_prepare(a);                                                                              \
        qt_conv_part(a, 0, (a->OCP + a->OB - 1) / a->OB * a->OH);                                        \
    }                                                                                                    \
    QT_INLINE void qt_add(const void *a, int ak, const void *b, int bk, void *y, int yk, size_t n, int32_t ma, \
                          int na, int32_t mb, int nb, int k, int rounding, int lo, int hi, int za, int zb, int zy) { \
        const size_t i0 = qt_add_head_##ISA(a, ak, b, bk, y, yk, n, ma, na, mb, nb, k, rounding, lo, hi, za, zb, \
                                            zy);                                                         \
        qt_add_range(a, ak, b, bk, y, yk, i0, n, ma, na, mb, nb, k, rounding, lo, hi, za, zb, zy);        \
    }

#endif

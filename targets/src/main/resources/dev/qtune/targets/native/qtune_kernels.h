/*
 * qtune kernel library: the integer and fp32 kernels that generated modules call.
 *
 * Every kernel is bit-exact to docs/integer-semantics.md (integer kernels) or to the Java fp32
 * interpreter's summation order (fp32 kernels; modules are built with -ffp-contract=off).
 * Kernels are always_inline and generated code calls them with literal shapes and schedule
 * values, so each call site is specialised by the C compiler (loop bounds, unrolling, vector
 * widths). Element kinds: QT_U8 = uint8_t, QT_I8 = int8_t, QT_I16 = int16_t.
 *
 * Layouts: integer 4-D tensors are NHWC with the channel count padded to a multiple of 4 (the
 * padding holds zeros and meets zero weights); integer 2-D tensors are flat, padded likewise;
 * fp32 tensors are NCHW as in ONNX.
 */
#ifndef QTUNE_KERNELS_H
#define QTUNE_KERNELS_H

/* clock_gettime for the module's timing; defined here, before any system header, so that the precompiled header agrees */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 199309L
#endif

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__AVX2__)
#include <immintrin.h>
#endif

#define QT_INLINE static inline __attribute__((always_inline))
#define QT_U8 0
#define QT_I8 1
#define QT_I16 2
#define QT_UPWARD 0
#define QT_TONEAREST 1
#define QT_MAX_OB 64
#define QT_MAX_OWT 8
/* Most output channels of one integer layer (padded). */
#define QT_MAX_CHANNELS 8192

/* Threads used by the parallel loops; the runner sets it. */
extern int qt_threads;

/* A layer's work function (generated, every shape a literal): computes its work items [w0, w1). */
typedef void (*qt_work_fn)(const float *in, float *out, int w0, int w1);

/*
 * Runs n work items as qt_threads contiguous ranges, one per OpenMP thread, or all on this
 * thread. The split is done here, outside the kernels, because GCC outlines an OpenMP region
 * into a function of its own that no longer sees the caller's literal shapes: kernels called
 * from inside one are not specialised (measured 1.5-2x slower).
 */
QT_INLINE void qt_parallel(qt_work_fn fn, const float *in, float *out, int n) {
    const int t = qt_threads < n ? qt_threads : n;
    if (t <= 1) {
        fn(in, out, 0, n);
        return;
    }
    _Pragma("omp parallel for schedule(static) num_threads(t)")
    for (int i = 0; i < t; i++) {
        fn(in, out, (int) ((long) n * i / t), (int) ((long) n * (i + 1) / t));
    }
}

QT_INLINE int32_t qt_load(const void *p, int kind, size_t i) {
    return kind == QT_U8 ? ((const uint8_t *) p)[i] : kind == QT_I8 ? ((const int8_t *) p)[i] : ((const int16_t *) p)[i];
}

QT_INLINE void qt_store(void *p, int kind, size_t i, int32_t v) {
    if (kind == QT_U8) {
        ((uint8_t *) p)[i] = (uint8_t) v;
    } else if (kind == QT_I8) {
        ((int8_t *) p)[i] = (int8_t) v;
    } else {
        ((int16_t *) p)[i] = (int16_t) v;
    }
}

QT_INLINE int qt_size(int kind) {
    return kind == QT_I16 ? 2 : 1;
}

/* ---- requantization (integer-semantics.md, "Fixed-point multipliers") ---- */

/* floor((p + 2^(n-1)) / 2^n) for p >= 0 or rounding upward: arithmetic shifts. */
QT_INLINE int64_t qt_round_shift(int64_t p, int n) {
    return n == 0 ? p : (p >> n) + ((p >> (n - 1)) & 1);
}

/* apply(M, a) without saturation for |a| < 2^32 (any int32 accumulator). */
QT_INLINE int64_t qt_apply(int64_t a, int32_t m, int n, int rounding) {
    int64_t p = a * (int64_t) m;
    return rounding == QT_UPWARD || p >= 0 ? qt_round_shift(p, n) : -qt_round_shift(-p, n);
}

/* apply(M, a) for any int64 a (wide accumulators), exact through a 128-bit product. */
QT_INLINE int64_t qt_apply_wide(int64_t a, int32_t m, int n, int rounding) {
    if (a < ((int64_t) 1 << 32) && a > -((int64_t) 1 << 32)) {
        return qt_apply(a, m, n, rounding);
    }
    __int128 p = (__int128) a * m;
    int neg = rounding == QT_TONEAREST && p < 0;
    if (neg) {
        p = -p;
    }
    if (n > 0) {
        p = (p + ((__int128) 1 << (n - 1))) >> n;
    }
    if (neg) {
        p = -p;
    }
    return p > INT64_MAX ? INT64_MAX : p < INT64_MIN ? INT64_MIN : (int64_t) p;
}

QT_INLINE int32_t qt_clamp(int64_t v, int lo, int hi) {
    return (int32_t) (v < lo ? lo : v > hi ? hi : v);
}

/*
 * The output stage with zero point z (integer-semantics.md, "Zero points"): clamp(v + z, lo, hi),
 * computed as clamp(v, lo - z, hi - z) + z so that no v (a saturated wide one included) overflows.
 * With z a literal 0 it is qt_clamp.
 */
QT_INLINE int32_t qt_clamp_zp(int64_t v, int z, int lo, int hi) {
    return qt_clamp(v, lo - z, hi - z) + z;
}

/* ---- fp32 helpers with Java's Math.max / Math.min semantics (NaN wins, +0 > -0) ---- */

QT_INLINE float qt_jmax(float a, float b) {
    if (a != a) {
        return a;
    }
    if (b != b) {
        return b;
    }
    if (a == 0.0f && b == 0.0f) {
        return signbit(a) ? b : a;
    }
    return a >= b ? a : b;
}

QT_INLINE float qt_jmin(float a, float b) {
    if (a != a) {
        return a;
    }
    if (b != b) {
        return b;
    }
    if (a == 0.0f && b == 0.0f) {
        return signbit(a) ? a : b;
    }
    return a <= b ? a : b;
}

/* ---- boundaries ---- */

/* q = clamp(rint(x / s) + z), NaN -> clamp(z); from fp32 NCHW [C][HW] to integer NHWC [HW][CP]. */
QT_INLINE void qt_quantize(const float *x, void *y, int kind, int C, int HW, int CP, float s, int z, int lo, int hi) {
    /* rint(x / s) is clamped to [lo - z, hi - z] (small integers, exact as floats), then z added. */
    const int zlo = lo - z;
    const int zhi = hi - z;
    const int32_t qnan = qt_clamp(z, lo, hi);
    for (int c = 0; c < C; c++) {
        int i0 = 0;
#if defined(__AVX2__)
        /* The same arithmetic on 8 pixels: IEEE division, round to nearest even, NaN to clamp(z), clamp. */
        const __m256 vs = _mm256_set1_ps(s);
        const __m256 vlo = _mm256_set1_ps((float) zlo);
        const __m256 vhi = _mm256_set1_ps((float) zhi);
        const __m256i vz = _mm256_set1_epi32(z);
        const __m256i vnan = _mm256_set1_epi32(qnan);
        i0 = HW / 8 * 8;
        for (int i = 0; i < i0; i += 8) {
            const __m256 r = _mm256_div_ps(_mm256_loadu_ps(x + (size_t) c * HW + i), vs);
            const __m256 ok = _mm256_cmp_ps(r, r, _CMP_ORD_Q);
            __m256 q = _mm256_round_ps(r, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
            q = _mm256_min_ps(_mm256_max_ps(q, vlo), vhi);
            const __m256i okm = _mm256_castps_si256(ok);
            const __m256i qz = _mm256_add_epi32(_mm256_cvttps_epi32(q), vz);
            int32_t v[8] __attribute__((aligned(32)));
            _mm256_store_si256((__m256i *) v, _mm256_or_si256(_mm256_and_si256(qz, okm), _mm256_andnot_si256(okm, vnan)));
            for (int k = 0; k < 8; k++) {
                qt_store(y, kind, (size_t) (i + k) * CP + c, v[k]);
            }
        }
#endif
        for (int i = i0; i < HW; i++) {
            float r = x[(size_t) c * HW + i] / s;
            int32_t q;
            if (r != r) {
                q = qnan;
            } else {
                r = rintf(r);
                q = (r < (float) zlo ? zlo : r > (float) zhi ? zhi : (int32_t) r) + z;
            }
            qt_store(y, kind, (size_t) i * CP + c, q);
        }
    }
}

/* x = (float) (q - z) * s; from integer NHWC [HW][CP] to fp32 NCHW [C][HW]. */
QT_INLINE void qt_dequantize(const void *x, int kind, float *y, int C, int HW, int CP, float s, int z) {
    for (int c = 0; c < C; c++) {
        int i0 = 0;
#if defined(__AVX2__)
        i0 = HW / 8 * 8;
        for (int i = 0; i < i0; i += 8) {
            int32_t v[8] __attribute__((aligned(32)));
            for (int k = 0; k < 8; k++) {
                v[k] = qt_load(x, kind, (size_t) (i + k) * CP + c);
            }
            const __m256i q = _mm256_sub_epi32(_mm256_load_si256((const __m256i *) v), _mm256_set1_epi32(z));
            _mm256_storeu_ps(y + (size_t) c * HW + i, _mm256_mul_ps(_mm256_cvtepi32_ps(q), _mm256_set1_ps(s)));
        }
#endif
        for (int i = i0; i < HW; i++) {
            y[(size_t) c * HW + i] = (float) (qt_load(x, kind, (size_t) i * CP + c) - z) * s;
        }
    }
}

/* Integer NHWC [HW][CP] to a flat NCHW-ordered vector (Flatten of an integer tensor). */
QT_INLINE void qt_flatten_int(const void *x, void *y, int kind, int C, int HW, int CP) {
    for (int c = 0; c < C; c++) {
        for (int i = 0; i < HW; i++) {
            qt_store(y, kind, (size_t) c * HW + i, qt_load(x, kind, (size_t) i * CP + c));
        }
    }
}

#include "qtune_int_kernels.h"
#include "qtune_fp32_kernels.h"

#endif

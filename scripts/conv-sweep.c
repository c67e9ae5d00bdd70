/*
 * Single-layer schedule sweep of the direct integer convolution (qt_conv of the kernel library)
 * on ResNet-18's convolution shapes, every call with literal shapes (a static const qt_conv_args) as
 * generated code makes it.
 * Prints GMAC/s per (dot, oc_block, ow_tile) and, for the 7x7 first layer, the compact input copy
 * against the padded one. Values are arbitrary: the kernels' speed does not depend on them.
 * Built and run by scripts/conv-sweep.sh with the flags of the host's best x86 target.
 */
#include "qtune_kernels.h"
#include <time.h>

int qt_threads = 1;
static int16_t scratch[1 << 21];
static uint8_t zero[4096];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* Best of 7 windows of 50 ms. H x H input of C (stored) channels, CC in the copy, REAL counted. */
#define SWEEP1(H_, C_, CC_, REAL_, OC_, K_, S_, P_, OB_, OWT_, DOT_)                                    \
    do {                                                                                                \
        enum { OH = ((H_) + 2 * (P_) - (K_)) / (S_) + 1 };                                              \
        static uint8_t x[(H_) * (H_) * (C_)];                                                           \
        static int16_t w[(OC_) * (K_) * (K_) * (C_) + 64];                                              \
        static int32_t bias[(OC_) + 64], mant[(OC_) + 64];                                              \
        static int8_t shift[(OC_) + 64];                                                                \
        static uint8_t y[OH * OH * (OC_)];                                                              \
        for (int i = 0; i < (H_) * (H_) * (C_); i++) x[i] = (uint8_t) (i * 7);                          \
        for (int i = 0; i < (OC_) + 64; i++) { bias[i] = i; mant[i] = 1 << 30; shift[i] = 20; }         \
        static const qt_conv_args args = {                                                              \
            .x = x, .xk = QT_U8, .H = H_, .W = H_, .CP = C_, .CC = CC_,                                 \
            .wpk = w, .bias = bias, .mant = mant, .shift = shift,                                       \
            .rounding = QT_UPWARD, .lo = 0, .hi = 255,                                                  \
            .y = y, .yk = QT_U8, .OH = OH, .OW = OH, .OCP = OC_,                                        \
            .KH = K_, .KW = K_, .SH = S_, .SW = S_, .PT = P_, .PL = P_, .DH = 1, .DW = 1,               \
            .OB = OB_, .OWT = OWT_, .DOT = DOT_, .scratch = scratch, .zero = zero};                     \
        double best = 1e9;                                                                              \
        for (int r = 0; r < 7; r++) {                                                                   \
            int n = 0;                                                                                  \
            double t0 = now(), t1;                                                                      \
            do {                                                                                        \
                qt_conv(&args);                                                                         \
                n++;                                                                                    \
                t1 = now();                                                                             \
            } while (t1 - t0 < 0.05);                                                                   \
            if ((t1 - t0) / n < best) best = (t1 - t0) / n;                                             \
        }                                                                                               \
        printf("%3dx%-3d %3d(%d)->%-3d %dx%d s%d  dot %2d  %2d x %d  %7.3f ms  %6.1f GMAC/s\n", H_, H_, REAL_, CC_, \
               OC_, K_, K_, S_, DOT_, OB_, OWT_, best * 1e3,                                            \
               (double) OH * OH * (OC_) * (K_) * (K_) * (REAL_) / best * 1e-9);                         \
    } while (0)

#define SWEEP3X3(H, C)                                                                                   \
    SWEEP1(H, C, C, C, C, 3, 1, 1, 16, 4, 16);                                                           \
    SWEEP1(H, C, C, C, C, 3, 1, 1, 16, 3, 8);                                                            \
    SWEEP1(H, C, C, C, C, 3, 1, 1, 16, 8, 8);                                                            \
    SWEEP1(H, C, C, C, C, 3, 1, 1, 32, 4, 8);                                                            \
    SWEEP1(H, C, C, C, C, 3, 1, 1, 32, 6, 8);                                                            \
    SWEEP1(H, C, C, C, C, 3, 1, 1, 32, 8, 8);                                                            \
    SWEEP1(H, C, C, C, C, 3, 1, 1, 64, 4, 8)

int main(void) {
    SWEEP3X3(56, 64);
    SWEEP3X3(28, 128);
    SWEEP3X3(14, 256);
    SWEEP3X3(7, 512);
    SWEEP1(224, 4, 4, 3, 64, 7, 2, 3, 32, 8, 8);
    SWEEP1(224, 4, 3, 3, 64, 7, 2, 3, 32, 8, 8);
    SWEEP1(224, 4, 4, 3, 64, 7, 2, 3, 16, 4, 16);
    SWEEP1(224, 4, 3, 3, 64, 7, 2, 3, 16, 4, 16);
    return 0;
}

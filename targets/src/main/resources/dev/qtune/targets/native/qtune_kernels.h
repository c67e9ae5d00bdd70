/*
 * qtune kernel library: the header generated modules include. It only puts the library together
 * for the target being compiled (qtune_common.h says what each header holds): the common part,
 * the portable integer kernels, the fp32 kernels, and then, in the library's one #if/#elif chain
 * on the ISA macros of qtune_common.h, the target's SIMD kernels, bound to the integer entries that
 * generated code calls (qt_conv_prepare, qt_conv_part, qt_conv, qt_add: QT_DEFINE_INT_ENTRIES).
 *
 * Every kernel is bit-exact to docs/integer-semantics.md (integer kernels) or to the Java fp32
 * interpreter's summation order (the exact fp32 kernels; modules are built with -ffp-contract=off),
 * except the fast fp32 kernels of x86 targets, which use FMA within docs/codegen.md's tolerance.
 */
#ifndef QTUNE_KERNELS_H
#define QTUNE_KERNELS_H

/* clock_gettime for the module's timing; defined before any system header, so that the precompiled header agrees */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 199309L
#endif

#include "qtune_common.h"
#include "qtune_int_kernels.h"
#include "qtune_fp32_kernels.h"

#if QT_VNNI
#include "qtune_vnni_kernels.h"
QT_DEFINE_INT_ENTRIES(vnni)
#elif QT_AVX2
#include "qtune_avx2_kernels.h"
QT_DEFINE_INT_ENTRIES(avx2)
#elif QT_NEON_DOT
#include "qtune_neon_kernels.h"
QT_DEFINE_INT_ENTRIES(neon)
#else
QT_DEFINE_INT_ENTRIES(generic)
#endif

#endif

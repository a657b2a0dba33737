#ifndef CPU_TARGET_H
#define CPU_TARGET_H

// What the code importing this header is compiled for, and what the CPU running it has, for
// `digits --version`.
//
// Swift has no `#if` for CPU features, but clang, when it imports this header into a Swift
// module, is given that module's `-target-cpu`: DigitsKit's release builds get `haswell` on a
// building machine with AVX2 and FMA (Package.swift's kernelFlags), and then __AVX2__ and __FMA__
// are defined here. The macros are read in DigitsKit, so they describe DigitsKit's kernels.
// (It lives in CPNGDecode because that is the one C module of the project's own that DigitsKit
// imports.)

#if defined(__AVX2__)
#define DIGITS_COMPILED_FOR_AVX2 1
#else
#define DIGITS_COMPILED_FOR_AVX2 0
#endif

#if defined(__FMA__)
#define DIGITS_COMPILED_FOR_FMA 1
#else
#define DIGITS_COMPILED_FOR_FMA 0
#endif

/// 1 when the running CPU has both AVX2 and FMA (cpuid, through the compiler's runtime), 0 when
/// not, -1 when this is not an x86 CPU.
static inline int digits_cpu_has_avx2_fma(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return -1;
#endif
}

#endif

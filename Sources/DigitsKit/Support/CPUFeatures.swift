import CPNGDecode

/// Whether the kernels were compiled for AVX2 and FMA, and whether the CPU running them has
/// them: a binary built for them stops with an illegal instruction on a CPU without them, and
/// one built without them is slower than it could be. `digits --version` says which.
public enum CPUFeatures {
    /// Whether this build's kernels use AVX2 and FMA (Package.swift's release flags on a building
    /// machine that has both; read from clang's own macros, see `cpu_target.h`).
    public static let kernelsUseAVX2FMA = DIGITS_COMPILED_FOR_AVX2 != 0 && DIGITS_COMPILED_FOR_FMA != 0

    /// Whether the running CPU has AVX2 and FMA; nil off x86.
    public static var cpuHasAVX2FMA: Bool? {
        let answer = digits_cpu_has_avx2_fma()
        return answer < 0 ? nil : answer == 1
    }

    /// One line: what the kernels were compiled for and whether this CPU can run them, or
    /// could run better ones.
    public static var summary: String {
        guard let has = cpuHasAVX2FMA else { return "kernels compiled for \(architecture) (no x86 CPU features to check)" }
        switch (kernelsUseAVX2FMA, has) {
        case (true, true): return "kernels compiled for AVX2 + FMA; this CPU has both"
        case (true, false): return "kernels compiled for AVX2 + FMA, which this CPU lacks: training and queries will stop with an illegal instruction (build on this machine)"
        case (false, true): return "kernels compiled for baseline \(architecture); this CPU has AVX2 + FMA, which a release build made on it uses"
        case (false, false): return "kernels compiled for baseline \(architecture); this CPU has no AVX2 + FMA"
        }
    }

    /// The instruction set this binary was compiled for.
    public static var architecture: String {
        #if arch(x86_64)
        "x86-64"
        #elseif arch(arm64)
        "arm64"
        #else
        "this architecture"
        #endif
    }
}

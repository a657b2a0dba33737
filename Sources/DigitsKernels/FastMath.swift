#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// e^x: Cody–Waite range reduction and the Cephes degree-5 polynomial (relative error about
/// 2·10⁻⁷), with x clamped to [−87.3, 88] where e^x is a finite float. Written on one float so
/// that loops over it vectorise (min, max, round, convert and shift all have vector forms).
@inline(__always)
package func fastExp(_ x: Float) -> Float {
    // Written as comparisons so that NaN (weights that overflowed) clamps to −87.3 instead of
    // reaching the Int32 conversion below; for every other x it is min(max(x, −87.3), 88).
    let x = x > -87.3 ? (x < 88 ? x : 88) : -87.3
    let n = (x * 1.442_695_04).rounded(.toNearestOrEven)
    var r = x - n * 0.693_359_375
    r = r - n * -2.121_944_4e-4
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    let y = p * r * r + r + 1
    return y * Float(bitPattern: UInt32(bitPattern: Int32(n) &+ 127) &<< 23)
}

/// σ(z) = 1 / (1 + e^−z) over `count` floats in place (doc 000 eq. 1): exactly 0 or 1 far out,
/// never NaN.
@inline(__always)
package func sigmoidInPlace(_ z: UnsafeMutablePointer<Float>, count: Int) {
    for j in 0..<count { z[j] = 1 / (1 + fastExp(-z[j])) }
}

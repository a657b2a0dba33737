#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The logistic sigmoid σ(z) = 1 / (1 + e^−z) (doc 000 eq. 1), written so that neither branch
/// overflows: e^−z is only taken for z ≥ 0 and e^z only for z < 0, so σ(±1000) is exactly 1 or 0.
@inline(__always)
public func sigmoid(_ z: Float) -> Float {
    if z >= 0 {
        return 1 / (1 + expf(-z))
    } else {
        let e = expf(z)
        return e / (1 + e)
    }
}

/// σ'(z) from σ(z): σ(z)(1 − σ(z)) (doc 000 eq. 2), so the derivative needs no second exp.
@inline(__always)
public func sigmoidDerivative(fromOutput a: Float) -> Float {
    a * (1 - a)
}

/// What the output layer applies to z_o.
public enum OutputLayer: String, Sendable, CaseIterable {
    /// σ on each output, as doc 001 (and squared error).
    case sigmoid
    /// softmax over the outputs, for cross-entropy (doc 003).
    case softmax

    /// Applies the layer to `z` in place.
    public func apply(_ z: inout [Float]) {
        switch self {
        case .sigmoid:
            for k in z.indices { z[k] = DigitsKit.sigmoid(z[k]) }
        case .softmax:
            // Shifted by the maximum so that no exponent is positive: no overflow.
            let m = z.max() ?? 0
            var sum: Float = 0
            for k in z.indices {
                z[k] = expf(z[k] - m)
                sum += z[k]
            }
            for k in z.indices { z[k] /= sum }
        }
    }
}

/// The logit, σ⁻¹(y) = ln(y / (1 − y)): the inverse of the sigmoid, which the book behind
/// doc 001 uses to run the network backwards (its `inverse_activation_function`). Defined for
/// 0 < y < 1; the back-query only feeds it values kept within 0.01…0.99.
@inline(__always)
public func logit(_ y: Double) -> Double {
    log(y / (1 - y))
}

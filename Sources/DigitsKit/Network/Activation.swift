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

/// What every hidden layer applies to its weighted input: f in aˡ = f(zˡ) (doc 004 eq. 25).
public enum HiddenActivation: String, Sendable, CaseIterable {
    /// σ, the documents' choice (doc 000 eq. 1).
    case sigmoid
    /// tanh z = 2σ(2z) − 1: σ's shape centred on 0.
    case tanh
    /// max(0, z): the usual choice for deeper networks.
    case relu

    /// Applies f to `z` in place.
    func apply(_ z: inout [Float]) {
        switch self {
        case .sigmoid: for j in z.indices { z[j] = DigitsKit.sigmoid(z[j]) }
        case .tanh: for j in z.indices { z[j] = tanhf(z[j]) }
        case .relu: for j in z.indices { z[j] = max(0, z[j]) }
        }
    }

    /// f′(z): σ(z)(1 − σ(z)) (doc 000 eq. 2), 1 − tanh²z, and relu's step (0 at z = 0, as
    /// PyTorch takes it). From z, not from a = f(z), which dropout may have scaled.
    @inline(__always)
    func derivative(_ z: Float) -> Float {
        switch self {
        case .sigmoid: return sigmoidDerivative(fromOutput: DigitsKit.sigmoid(z))
        case .tanh:
            let a = tanhf(z)
            return 1 - a * a
        case .relu: return z > 0 ? 1 : 0
        }
    }

    /// The standard deviation of the normal distribution a layer's weights start from, for a
    /// layer with `fanIn` inputs and `fanOut` units (`isOutput`: the last layer). Sigmoid keeps
    /// doc 001's normal(0, n_next^−½) for every layer, so the default network is today's bit for
    /// bit; tanh takes LeCun's fan-in scaling n_in^−½; relu He's (2/n_in)^½ for the layers it
    /// follows, and n_in^−½ for the output layer, which it does not.
    func initialSpread(fanIn: Int, fanOut: Int, isOutput: Bool) -> Double {
        switch self {
        case .sigmoid: return 1 / Double(fanOut).squareRoot()
        case .tanh: return 1 / Double(fanIn).squareRoot()
        case .relu: return ((isOutput ? 1 : 2) / Double(fanIn)).squareRoot()
        }
    }

    /// f⁻¹(a) for the back-query, where f has one (sigmoid: the logit; tanh: atanh); nil for
    /// relu, which maps every negative z to 0 and so cannot be run backwards.
    func inverse(_ a: Double) -> Double? {
        switch self {
        case .sigmoid: return logit(a)
        case .tanh: return atanh(a)
        case .relu: return nil
        }
    }
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

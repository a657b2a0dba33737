#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The cost the network is trained to lower, for one example.
public enum Loss: String, Sendable, CaseIterable {
    /// ½ Σ (o − t)², doc 000 eq. 3, with sigmoid outputs.
    case mse
    /// −Σ t log o with softmax outputs, doc 003.
    case crossEntropy = "cross-entropy"

    /// The output layer this loss is defined with.
    public var outputLayer: OutputLayer { self == .mse ? .sigmoid : .softmax }

    /// J(o, t) for one example.
    public func value(output o: [Float], target t: [Float]) -> Double {
        var sum = 0.0
        for k in o.indices {
            switch self {
            case .mse:
                let d = Double(o[k] - t[k])
                sum += 0.5 * d * d  // doc 000 eq. 3
            case .crossEntropy:
                if t[k] != 0 { sum -= Double(t[k]) * log(max(Double(o[k]), 1e-30)) }  // doc 003
            }
        }
        return sum
    }

    /// δ_o = ∂J/∂z_o: (o − t) ⊙ σ'(z_o) for squared error (doc 000 eq. 7), o − t for softmax
    /// with cross-entropy (doc 003: the softmax Jacobian cancels the log's derivative).
    public func outputDelta(output o: [Float], target t: [Float]) -> [Float] {
        switch self {
        case .mse: return o.indices.map { (o[$0] - t[$0]) * sigmoidDerivative(fromOutput: o[$0]) }
        case .crossEntropy: return o.indices.map { o[$0] - t[$0] }
        }
    }
}

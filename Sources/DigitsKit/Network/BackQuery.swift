#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a network cannot be run backwards.
public enum BackQueryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A hidden activation with no inverse (relu sends every negative z to 0).
    case notInvertible(HiddenActivation)

    public var description: String {
        switch self {
        case .notInvertible(let f):
            return "the back-query runs each layer backwards through its activation's inverse; \(f.rawValue) has none "
                + "(it maps every negative input to 0), so this network cannot be run backwards"
        }
    }
}

/// The book's back-query: the network run backwards from an output, to see what input it
/// "imagines" for a digit. Each layer is undone as the book undoes it: the inverse of the
/// layer's activation (the logit for sigmoid), minus its biases (ours has them; the book's
/// network has none, and then the step is exactly the book's), sent back through the transpose
/// of the forward weights, then rescaled into the activation's open range so that the next
/// inverse is defined. At any depth, through every layer.
///
/// In doc 001's convention the forward pass is z = Wᵀ·a, so going back is a ← W·z (the book
/// writes the same steps as `who.T` and `wih.T`, its matrices being the transposes of ours).
extension Network {
    /// The inputs (0.01…0.99, ink high) the network associates with `target`, its output
    /// values (0 < t < 1; the book uses 0.99 for the digit and 0.01 elsewhere).
    public func backquery(_ target: [Double]) throws(BackQueryError) -> [Double] {
        try backqueryValues(target)[layers.count - 1]
    }

    /// The book's target for `digit` (`TargetEncoding.book`: 0.99 there, 0.01 elsewhere).
    public func backquery(digit: Int) throws(BackQueryError) -> [Double] {
        try backquery(TargetEncoding.book.target(digit, count: outputCount).map(Double.init))
    }

    /// Every layer's values on the way back, top hidden layer first and the inputs last.
    func backqueryValues(_ target: [Double]) throws(BackQueryError) -> [[Double]] {
        precondition(target.count == outputCount && target.allSatisfy { $0 > 0 && $0 < 1 })
        guard hiddenActivation.inverse(0.5) != nil || layers.count == 1 else { throw .notInvertible(hiddenActivation) }
        // Output layer: sigmoid's inverse is the logit; softmax's is the log, up to a constant
        // (chosen so that the values sum to zero).
        var z: [Double]
        switch outputLayer {
        case .sigmoid:
            z = target.map(logit)
        case .softmax:
            z = target.map { log($0) }
            let mean = z.reduce(0, +) / Double(outputCount)
            z = z.map { $0 - mean }
        }
        var values: [[Double]] = []
        for l in layers.indices.reversed() {
            for j in z.indices { z[j] -= Double(layers[l].b[j]) }
            let below = layers[l].backward(z)
            if l == 0 {
                values.append(Self.rescaled(below, into: .sigmoid))
            } else {
                let a = Self.rescaled(below, into: hiddenActivation)
                values.append(a)
                z = a.map { hiddenActivation.inverse($0)! }
            }
        }
        return values
    }

    /// The book's rescaling: v − min, divided by the new max, times 0.98, plus 0.01 (sigmoid's
    /// and the inputs' range); into −0.98…0.98 for tanh. A layer whose values are all equal (the
    /// book would divide by zero) maps to the middle of the range.
    static func rescaled(_ v: [Double], into f: HiddenActivation) -> [Double] {
        let (span, low) = f == .tanh ? (1.96, -0.98) : (0.98, 0.01)
        guard let least = v.min(), let most = v.max(), most > least else { return v.map { _ in low + span / 2 } }
        return v.map { ($0 - least) / (most - least) * span + low }
    }
}

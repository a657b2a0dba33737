#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The book's back-query: the network run backwards from an output, to see what input it
/// "imagines" for a digit. Each layer is undone as the book undoes it: the logit of the
/// layer's values, minus its biases (ours has them; the book's network has none, and then the
/// step is exactly the book's), sent back through the transpose of the forward weights, then
/// rescaled into 0.01…0.99 so that the next logit is defined.
///
/// In doc 001's convention the forward pass is z_o = W_hoᵀ·h, so going back is h ← W_ho·z_o
/// and x ← W_ih·z_h (the book writes the same steps as `who.T` and `wih.T`, its matrices being
/// the transposes of ours).
extension Network {
    /// The 784 inputs (0.01…0.99, ink high) the network associates with `target`, its ten
    /// output values (0 < t < 1; the book uses 0.99 for the digit and 0.01 elsewhere).
    public func backquery(_ target: [Double]) -> [Double] {
        let h = backqueryHidden(target)
        let z_h = (0..<hiddenCount).map { logit(h[$0]) - Double(b_h[$0]) }
        // x = W_ih·z_h (the transpose of the forward W_ihᵀ·x), rescaled the same way.
        var x = [Double](repeating: 0, count: inputCount)
        for i in 0..<inputCount {
            for j in 0..<hiddenCount { x[i] += Double(W_ih[i * hiddenCount + j]) * z_h[j] }
        }
        return Self.rescaledForLogit(x)
    }

    /// The first half of the back-query: the hidden layer's values (0.01…0.99) for `target`.
    public func backqueryHidden(_ target: [Double]) -> [Double] {
        precondition(target.count == outputCount && target.allSatisfy { $0 > 0 && $0 < 1 })
        // Output layer: sigmoid's inverse is the logit; softmax's is the log, up to a constant
        // (chosen so that the values sum to zero).
        var z_o: [Double]
        switch outputLayer {
        case .sigmoid:
            z_o = target.map(logit)
        case .softmax:
            z_o = target.map { log($0) }
            let mean = z_o.reduce(0, +) / Double(outputCount)
            z_o = z_o.map { $0 - mean }
        }
        for k in 0..<outputCount { z_o[k] -= Double(b_o[k]) }
        // h = W_ho·z_o (the transpose of the forward W_hoᵀ·h), rescaled as the book does.
        var h = [Double](repeating: 0, count: hiddenCount)
        for j in 0..<hiddenCount {
            for k in 0..<outputCount { h[j] += Double(W_ho[j * outputCount + k]) * z_o[k] }
        }
        return Self.rescaledForLogit(h)
    }

    /// The book's one-hot target for `digit`: 0.99 there, 0.01 elsewhere.
    public func backquery(digit: Int) -> [Double] {
        backquery((0..<outputCount).map { $0 == digit ? 0.99 : 0.01 })
    }

    /// The book's rescaling: v − min, divided by the new max, times 0.98, plus 0.01. A layer
    /// whose values are all equal (the book would divide by zero) maps to 0.5.
    static func rescaledForLogit(_ v: [Double]) -> [Double] {
        guard let low = v.min(), let high = v.max(), high > low else { return v.map { _ in 0.5 } }
        return v.map { ($0 - low) / (high - low) * 0.98 + 0.01 }
    }
}

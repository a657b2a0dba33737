/// One layer of weights and biases in doc 001's convention: `W` is (inputs × outputs),
/// row-major, so that the layer's weighted input is z = Wᵀ·a + b (doc 004's zˡ = wˡaˡ⁻¹ + bˡ,
/// doc 004's wˡ being our Wᵀ).
///
/// Element `W[i * outputCount + j]` is the weight from unit i below to unit j of this layer:
/// row i is everything unit i feeds, which is what lets the kernels skip a zero input's row.
public struct Layer: Sendable, Equatable {
    public let inputCount: Int
    public let outputCount: Int
    /// Settable only inside the module, where every write keeps the element counts.
    public internal(set) var W: [Float]
    public internal(set) var b: [Float]

    /// A layer with explicit parameters; biases default to zero.
    public init(inputCount: Int, outputCount: Int, W: [Float], b: [Float]? = nil) {
        precondition(inputCount >= 1 && outputCount >= 1 && W.count == inputCount * outputCount, "a layer's W must be inputs × outputs")
        self.inputCount = inputCount
        self.outputCount = outputCount
        self.W = W
        self.b = b ?? [Float](repeating: 0, count: outputCount)
        precondition(self.b.count == outputCount, "a layer's b must have one value per unit")
    }

    /// z = Wᵀ·a + b (doc 004 eq. 25's weighted input, in doc 001's layout). Rows of inputs
    /// that are exactly 0 are skipped: they add nothing, and most of a digit's pixels are 0.
    func weightedInput(_ a: [Float]) -> [Float] {
        precondition(a.count == inputCount)
        let n = outputCount
        var z = b
        // Spans: the same sums in the same order, checked, without per-element array overhead.
        let (w, a) = (W.span, a.span)
        var out = z.mutableSpan
        for i in 0..<inputCount where a[i] != 0 {
            for j in 0..<n { out[j] += w[i * n + j] * a[i] }
        }
        return z
    }

    /// W·v: a signal on this layer's units sent back to its inputs, through the transpose of
    /// the forward weights (doc 004 eq. BP2's (wˡ⁺¹)ᵀδˡ⁺¹ in doc 001's layout; in Double for
    /// the back-query).
    func backward<T: BinaryFloatingPoint>(_ v: [T]) -> [T] {
        precondition(v.count == outputCount)
        let n = outputCount
        var out = [T](repeating: 0, count: inputCount)
        let (w, v) = (W.span, v.span)
        var o = out.mutableSpan
        for i in 0..<inputCount {
            var sum: T = 0
            for j in 0..<n { sum += T(w[i * n + j]) * v[j] }
            o[i] = sum
        }
        return out
    }

    /// Zero weights and biases of this layer's shape.
    var zero: Layer {
        Layer(inputCount: inputCount, outputCount: outputCount, W: [Float](repeating: 0, count: W.count))
    }

    /// Whether every weight and bias is a finite number.
    var isFinite: Bool { W.allSatisfy(\.isFinite) && b.allSatisfy(\.isFinite) }
}

/// The three-layer network of doc 001 in its own convention: `W_ih` is (inputs × hidden) and
/// `W_ho` is (hidden × outputs), both row-major, so that the forward pass is
/// h = σ(W_ihᵀ·x + b_h) and o = σ(W_hoᵀ·h + b_o).
///
/// Element `W_ih[i * hiddenCount + j]` is the weight from input i to hidden unit j: row i of
/// `W_ih` is everything input i feeds, which is what lets the kernels skip a zero pixel's row.
public struct Network: Sendable, Equatable {
    public let inputCount: Int
    public let hiddenCount: Int
    public let outputCount: Int
    public var W_ih: [Float]
    public var W_ho: [Float]
    public var b_h: [Float]
    public var b_o: [Float]
    public var outputLayer: OutputLayer

    /// A network with explicit parameters (model files, hand-checked tests).
    public init(inputCount: Int, hiddenCount: Int, outputCount: Int,
                W_ih: [Float], W_ho: [Float], b_h: [Float]? = nil, b_o: [Float]? = nil,
                outputLayer: OutputLayer = .sigmoid) {
        precondition(W_ih.count == inputCount * hiddenCount && W_ho.count == hiddenCount * outputCount)
        self.inputCount = inputCount
        self.hiddenCount = hiddenCount
        self.outputCount = outputCount
        self.W_ih = W_ih
        self.W_ho = W_ho
        self.b_h = b_h ?? [Float](repeating: 0, count: hiddenCount)
        self.b_o = b_o ?? [Float](repeating: 0, count: outputCount)
        self.outputLayer = outputLayer
        precondition(self.b_h.count == hiddenCount && self.b_o.count == outputCount)
    }

    /// Doc 001's initialisation: W_ih from normal(0, hidden^−½), W_ho from normal(0, outputs^−½)
    /// — each layer's spread set by the size of the layer it feeds — and biases 0.
    public init(inputCount: Int = 784, hiddenCount: Int = 100, outputCount: Int = 10,
                outputLayer: OutputLayer = .sigmoid, seed: UInt64) {
        var random = Random(seed: seed)
        let sdIH = 1 / Double(hiddenCount).squareRoot()
        let sdHO = 1 / Double(outputCount).squareRoot()
        let wih = (0..<inputCount * hiddenCount).map { _ in Float(random.normal(sd: sdIH)) }
        let who = (0..<hiddenCount * outputCount).map { _ in Float(random.normal(sd: sdHO)) }
        self.init(inputCount: inputCount, hiddenCount: hiddenCount, outputCount: outputCount,
                  W_ih: wih, W_ho: who, outputLayer: outputLayer)
    }

    /// The layer sizes as people write them, "784-100-10": the one spelling of a network's shape
    /// in model metadata, the report and messages.
    public var layerSizes: String { Self.layerSizes([inputCount, hiddenCount, outputCount]) }

    /// `sizes` joined with hyphens, input first.
    public static func layerSizes(_ sizes: [Int]) -> String { sizes.map(String.init).joined(separator: "-") }

    /// Every value the forward pass computes, kept for backpropagation.
    public struct Activations: Sendable {
        public var z_h: [Float]
        public var h: [Float]
        public var z_o: [Float]
        public var o: [Float]
    }

    /// The forward pass, written plainly: z_h = W_ihᵀ·x + b_h, h = σ(z_h), z_o = W_hoᵀ·h + b_o,
    /// o = σ(z_o) or softmax (doc 001's forward, with biases as docs 000 and 004). The kernels
    /// compute the same numbers faster; this is their reference.
    public func feedforward(_ x: [Float]) -> Activations {
        precondition(x.count == inputCount)
        let (H, O) = (hiddenCount, outputCount)
        var z_h = b_h
        do {
            // Spans: the same sums in the same order, checked, without per-element array overhead.
            let (w, x) = (W_ih.span, x.span)
            var z = z_h.mutableSpan
            for i in 0..<inputCount where x[i] != 0 {
                for j in 0..<H { z[j] += w[i * H + j] * x[i] }
            }
        }
        let h = z_h.map(sigmoid)
        var z_o = b_o
        do {
            let (w, a) = (W_ho.span, h.span)
            var z = z_o.mutableSpan
            for j in 0..<H {
                for k in 0..<O { z[k] += w[j * O + k] * a[j] }
            }
        }
        var o = z_o
        outputLayer.apply(&o)
        return Activations(z_h: z_h, h: h, z_o: z_o, o: o)
    }

    /// The network's answer for input `x`: the output layer's values (doc 001's `query`).
    public func query(_ x: [Float]) -> [Float] {
        feedforward(x).o
    }

    /// Whether every parameter is a finite number.
    public var isFinite: Bool {
        W_ih.allSatisfy(\.isFinite) && W_ho.allSatisfy(\.isFinite) && b_h.allSatisfy(\.isFinite) && b_o.allSatisfy(\.isFinite)
    }
}

/// Index of the largest value (the first, on ties): the predicted digit.
public func argmax(_ values: some Collection<Float>) -> Int {
    var best = 0
    var bestValue = -Float.infinity
    for (k, v) in values.enumerated() where v > bestValue {
        best = k
        bestValue = v
    }
    return best
}

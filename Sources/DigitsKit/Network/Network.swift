/// A network of any depth, doc 004's L layers, in doc 001's convention: `layers[l]` holds
/// W (n_l × n_(l+1)) and b, and the forward pass is a¹ = f(W₀ᵀ·x + b₀), …, o = g(Wᵀ·a + b),
/// f the hidden activation, g the output layer's sigmoid or softmax.
///
/// Doc 001's three-layer network is the case of one hidden layer; its names (`W_ih`, `W_ho`,
/// `b_h`, `b_o`) are kept for it in model files and in the tests.
public struct Network: Sendable, Equatable {
    /// The weight layers, input side first: one more than the hidden layers.
    public internal(set) var layers: [Layer]
    public let hiddenActivation: HiddenActivation
    public var outputLayer: OutputLayer

    /// A network from its layers, each fed by the one before.
    public init(layers: [Layer], hiddenActivation: HiddenActivation = .sigmoid, outputLayer: OutputLayer = .sigmoid) {
        precondition(!layers.isEmpty && zip(layers, layers.dropFirst()).allSatisfy { $0.outputCount == $1.inputCount },
                     "each layer must take the outputs of the one before")
        self.layers = layers
        self.hiddenActivation = hiddenActivation
        self.outputLayer = outputLayer
    }

    /// Doc 001's three-layer network with explicit parameters (model files, hand-checked tests).
    public init(inputCount: Int, hiddenCount: Int, outputCount: Int,
                W_ih: [Float], W_ho: [Float], b_h: [Float]? = nil, b_o: [Float]? = nil,
                outputLayer: OutputLayer = .sigmoid) {
        self.init(layers: [Layer(inputCount: inputCount, outputCount: hiddenCount, W: W_ih, b: b_h),
                           Layer(inputCount: hiddenCount, outputCount: outputCount, W: W_ho, b: b_o)],
                  outputLayer: outputLayer)
    }

    /// A fresh network of layer sizes `sizes` (input first): each layer's weights drawn, layer
    /// after layer from one stream, from normal(0, sd) with sd from the hidden activation
    /// (`HiddenActivation.initialSpread`: doc 001's n_next^−½ for sigmoid), and biases 0.
    public init(sizes: [Int], hiddenActivation: HiddenActivation = .sigmoid, outputLayer: OutputLayer = .sigmoid, seed: UInt64) {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 >= 1 })
        var random = Random(seed: seed)
        let layers = (1..<sizes.count).map { l in
            let sd = hiddenActivation.initialSpread(fanIn: sizes[l - 1], fanOut: sizes[l], isOutput: l == sizes.count - 1)
            return Layer(inputCount: sizes[l - 1], outputCount: sizes[l],
                         W: (0..<sizes[l - 1] * sizes[l]).map { _ in Float(random.normal(sd: sd)) })
        }
        self.init(layers: layers, hiddenActivation: hiddenActivation, outputLayer: outputLayer)
    }

    /// Doc 001's initialisation of its three-layer network: W_ih from normal(0, hidden^−½),
    /// W_ho from normal(0, outputs^−½), biases 0.
    public init(inputCount: Int = 784, hiddenCount: Int = 100, outputCount: Int = 10,
                outputLayer: OutputLayer = .sigmoid, seed: UInt64) {
        self.init(sizes: [inputCount, hiddenCount, outputCount], outputLayer: outputLayer, seed: seed)
    }

    public var inputCount: Int { layers[0].inputCount }
    public var outputCount: Int { layers[layers.count - 1].outputCount }
    /// Every layer's size, input first: n_0 … n_L.
    public var sizes: [Int] { [inputCount] + layers.map(\.outputCount) }
    /// The hidden layers' sizes.
    public var hiddenSizes: [Int] { layers.dropLast().map(\.outputCount) }

    /// The layer sizes as people write them, "784-100-10": the one spelling of a network's shape
    /// in model metadata, the report and messages.
    public var layerSizes: String { Self.layerSizes(sizes) }

    /// `sizes` joined with hyphens, input first.
    public static func layerSizes(_ sizes: [Int]) -> String { sizes.map(String.init).joined(separator: "-") }

    /// Every value the forward pass computes, kept for backpropagation.
    public struct Activations: Sendable {
        /// zˡ for each weight layer, input side first.
        public var z: [[Float]]
        /// aˡ for every layer: a⁰ = x, then f(zˡ), the last one the output layer's values.
        public var a: [[Float]]
        /// The output layer's values and weighted inputs.
        public var o: [Float] { a[a.count - 1] }
        public var z_o: [Float] { z[z.count - 1] }
    }

    /// The forward pass, doc 004's loop written plainly: zˡ = Wˡᵀ·aˡ⁻¹ + bˡ, aˡ = f(zˡ) for the
    /// hidden layers, o = σ(z) or softmax for the last (doc 004 eq. 25, in doc 001's layout).
    /// With `masks` (dropout), hidden layer l's values are multiplied by masks[l] (0, or the
    /// kept units' 1/(1 − p)). The kernels compute the same numbers faster; this is their reference.
    public func feedforward(_ x: [Float], masks: [[Float]]? = nil) -> Activations {
        precondition(x.count == inputCount)
        var z: [[Float]] = [], a: [[Float]] = [x]
        z.reserveCapacity(layers.count)
        a.reserveCapacity(layers.count + 1)
        for (l, layer) in layers.enumerated() {
            var value = layer.weightedInput(a[l])
            z.append(value)
            if l == layers.count - 1 {
                outputLayer.apply(&value)
            } else {
                hiddenActivation.apply(&value)
                if let mask = masks?[l] { for j in value.indices { value[j] *= mask[j] } }
            }
            a.append(value)
        }
        return Activations(z: z, a: a)
    }

    /// The network's answer for input `x`: the output layer's values (doc 001's `query`).
    public func query(_ x: [Float]) -> [Float] {
        feedforward(x).o
    }

    /// Whether every weight and bias is a finite number.
    public var isFinite: Bool { layers.allSatisfy(\.isFinite) }
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

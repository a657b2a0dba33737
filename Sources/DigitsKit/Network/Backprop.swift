/// How the weights learn from one example.
public enum Rule: String, Sendable, CaseIterable {
    /// The true gradient of the loss, with biases (doc 004's algorithm, in doc 001's layout).
    case exact
    /// Doc 001's update as written, generalised to any depth: no biases, and the error sent down
    /// from a layer is its raw error passed back through its weights, eˡ = Wˡ⁺¹·eˡ⁺¹ from
    /// e = o − t, without the derivative of the layer above; each layer's step uses
    /// eˡ ⊙ f′(zˡ). Not the gradient of any loss; for one hidden layer, exactly doc 001's rule.
    case classic
}

/// ∂J/∂θ for every parameter, in the parameters' own layouts (or, summed over K examples,
/// doc 000 §6's ΔW and Δb): one `Layer` of derivatives per weight layer.
struct Gradient: Sendable, Equatable {
    var layers: [Layer]

    init(zeroFor network: Network) {
        layers = network.layers.map(\.zero)
    }

    /// Adds `other` (doc 000 §6: ΔW := ΔW + ∂J/∂W).
    mutating func add(_ other: Gradient) {
        for l in layers.indices {
            for i in layers[l].W.indices { layers[l].W[i] += other.layers[l].W[i] }
            for j in layers[l].b.indices { layers[l].b[j] += other.layers[l].b[j] }
        }
    }
}

extension Network {
    /// The direction one example pushes the parameters: doc 004's backpropagation as a loop over
    /// the layers, the one place its formulas live (the kernels compute the same thing fused and
    /// faster; this is their reference). With a = the forward pass's values:
    ///
    /// - δᴸ = ∂J/∂zᴸ from the loss (doc 004 eq. BP1; doc 003 for softmax with cross-entropy);
    /// - δˡ = (Wˡ⁺¹·δˡ⁺¹) ⊙ f′(zˡ) (eq. BP2, Wˡ⁺¹ in doc 001's layout being doc 004's (wˡ⁺¹)ᵀ);
    /// - ∂J/∂Wˡ = aˡ⁻¹·δˡᵀ (eq. BP4) and ∂J/∂bˡ = δˡ (eq. BP3).
    ///
    /// `classic` sends the raw error down instead of δ (`Rule.classic`) and has no biases. Both
    /// use each layer's weights as they were before the step, as doc 001's code computes its
    /// hidden errors before updating. With dropout's `masks`, a dropped unit neither feeds the
    /// layer above nor learns: δˡ is multiplied by the mask too (aˡ = f(zˡ)·m).
    func backprop(_ x: [Float], target t: [Float], loss: Loss, rule: Rule, masks: [[Float]]? = nil) -> Gradient {
        let act = feedforward(x, masks: masks)
        var g = Gradient(zeroFor: self)
        var delta = loss.outputDelta(output: act.o, target: t)  // BP1
        // What the layer below hears: δ for the gradient; the raw error o − t under doc 001's rule.
        var back = rule == .exact ? delta : zip(act.o, t).map { $0 - $1 }
        for l in layers.indices.reversed() {
            g.layers[l].addOuter(act.a[l], delta)  // BP4
            if rule == .exact { g.layers[l].b = delta }  // BP3
            guard l > 0 else { break }
            let sent = layers[l].backward(back)
            let z = act.z[l - 1], mask = masks?[l - 1]
            delta = sent.indices.map { sent[$0] * hiddenActivation.derivative(z[$0]) * (mask?[$0] ?? 1) }  // BP2
            back = rule == .exact ? delta : sent
        }
        return g
    }

    /// One gradient-descent step from `K` summed gradients (doc 000 §6):
    /// W −= α[(1/K)ΔW + λW], b −= α(1/K)Δb — weight decay on the weights only.
    mutating func update(with sum: Gradient, batchSize K: Int, learningRate alpha: Float, l2 lambda: Float) {
        let scale = alpha / Float(K)
        for l in layers.indices {
            let g = sum.layers[l]
            for i in layers[l].W.indices { layers[l].W[i] -= scale * g.W[i] + alpha * lambda * layers[l].W[i] }
            for j in layers[l].b.indices { layers[l].b[j] -= scale * g.b[j] }
        }
    }
}

extension Layer {
    /// W += a·δᵀ, the rank-1 outer product of doc 004 eq. BP4 in doc 001's layout; rows of
    /// inputs that are 0 are left alone.
    mutating func addOuter(_ a: [Float], _ delta: [Float]) {
        precondition(a.count == inputCount && delta.count == outputCount)
        let n = outputCount
        for i in 0..<inputCount where a[i] != 0 {
            for j in 0..<n { W[i * n + j] += a[i] * delta[j] }
        }
    }
}

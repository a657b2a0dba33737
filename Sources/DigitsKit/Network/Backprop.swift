/// How the weights learn from one example.
public enum Rule: String, Sendable, CaseIterable {
    /// The true gradient of the loss, with biases (docs 000, 002, 004 in doc 001's layout).
    case exact
    /// Doc 001's update as written: no biases, and the hidden error e_h = W_ho·e taken without
    /// the output derivative o ⊙ (1 − o), so it is not the gradient of the squared error.
    case classic
}

/// ∂J/∂θ for every parameter, in the parameters' own layouts (or, summed over K examples,
/// doc 000 §6's ΔW and Δb).
public struct Gradient: Sendable, Equatable {
    public var W_ih: [Float]
    public var W_ho: [Float]
    public var b_h: [Float]
    public var b_o: [Float]

    public init(zeroFor network: Network) {
        W_ih = [Float](repeating: 0, count: network.W_ih.count)
        W_ho = [Float](repeating: 0, count: network.W_ho.count)
        b_h = [Float](repeating: 0, count: network.hiddenCount)
        b_o = [Float](repeating: 0, count: network.outputCount)
    }

    /// Adds `other` (doc 000 §6: ΔW := ΔW + ∂J/∂W).
    public mutating func add(_ other: Gradient) {
        for i in W_ih.indices { W_ih[i] += other.W_ih[i] }
        for i in W_ho.indices { W_ho[i] += other.W_ho[i] }
        for i in b_h.indices { b_h[i] += other.b_h[i] }
        for i in b_o.indices { b_o[i] += other.b_o[i] }
    }
}

extension Network {
    /// The direction one example pushes the parameters, written plainly from the documents (the
    /// kernels compute the same thing fused and faster; this is their reference):
    ///
    /// - `exact`: δ_o = ∂J/∂z_o (doc 000 eq. 7, or doc 003 for softmax), δ_h = (W_ho·δ_o) ⊙ σ'(z_h)
    ///   (doc 000 eq. 8, W_ho being doc 000's (W^(2))ᵀ), ∂J/∂W_ih = x·δ_hᵀ, ∂J/∂W_ho = h·δ_oᵀ
    ///   (doc 000 eq. 10), ∂J/∂b = δ (eq. 12).
    /// - `classic`: doc 001's step divided by −lr: with e = t − o, W_ho's is −h·(e ⊙ o ⊙ (1 − o))ᵀ
    ///   and W_ih's is −x·(e_h ⊙ h ⊙ (1 − h))ᵀ with e_h = W_ho·e; no biases.
    ///
    /// Both take W_ho as it was before the step, as doc 001's code computes e_h before updating.
    public func backprop(_ x: [Float], target t: [Float], loss: Loss, rule: Rule) -> Gradient {
        let a = feedforward(x)
        let delta_o = loss.outputDelta(output: a.o, target: t)
        // What the hidden layer hears from the outputs: δ_o for the gradient; for doc 001's
        // rule, the raw error o − t (= −e), without σ'(z_o).
        let back: [Float] = rule == .exact ? delta_o : a.o.indices.map { a.o[$0] - t[$0] }
        var delta_h = [Float](repeating: 0, count: hiddenCount)
        for j in 0..<hiddenCount {
            var sum: Float = 0
            for k in 0..<outputCount { sum += W_ho[j * outputCount + k] * back[k] }
            delta_h[j] = sum * sigmoidDerivative(fromOutput: a.h[j])
        }
        var g = Gradient(zeroFor: self)
        for i in 0..<inputCount where x[i] != 0 {
            for j in 0..<hiddenCount { g.W_ih[i * hiddenCount + j] = x[i] * delta_h[j] }
        }
        for j in 0..<hiddenCount {
            for k in 0..<outputCount { g.W_ho[j * outputCount + k] = a.h[j] * delta_o[k] }
        }
        if rule == .exact {
            g.b_h = delta_h
            g.b_o = delta_o
        }
        return g
    }

    /// One gradient-descent step from `K` summed gradients (doc 000 §6):
    /// W −= α[(1/K)ΔW + λW], b −= α(1/K)Δb — weight decay on the weights only.
    public mutating func update(with sum: Gradient, batchSize K: Int, learningRate alpha: Float, l2 lambda: Float) {
        let scale = alpha / Float(K)
        for i in W_ih.indices { W_ih[i] -= scale * sum.W_ih[i] + alpha * lambda * W_ih[i] }
        for i in W_ho.indices { W_ho[i] -= scale * sum.W_ho[i] + alpha * lambda * W_ho[i] }
        for j in b_h.indices { b_h[j] -= scale * sum.b_h[j] }
        for k in b_o.indices { b_o[k] -= scale * sum.b_o[k] }
    }
}

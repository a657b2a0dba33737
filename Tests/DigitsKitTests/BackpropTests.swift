import Testing
@testable import DigitsKit

@Suite("Backprop: both rules")
struct BackpropTests {
    let x: [Float] = [1.0, 0.5]
    let t: [Float] = [1, 0]

    private func expectClose(_ a: [Float], _ b: [Float], _ tolerance: Float = 2e-6, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.count == b.count, sourceLocation: sourceLocation)
        for i in a.indices { #expect(abs(a[i] - b[i]) <= tolerance, "element \(i): \(a[i]) vs \(b[i])", sourceLocation: sourceLocation) }
    }

    @Test func oneExactStepOnDoc002sNetworkMatchesHandValues() {
        var n = NetworkTests.doc002
        let g = n.backprop(x, target: t, loss: .mse, rule: .exact)
        n.update(with: g, batchSize: 1, learningRate: 0.5, l2: 0)
        // Doc 002 eq. 15 and 34 (with the sum of eq. 17, not the product printed in eq. 35).
        expectClose(n.W_ho, [0.13849032, -0.24365883, 0.33771432, 0.35722137, -0.45564074, 0.54968415])
        expectClose(n.W_ih, [0.10504883, 0.19760356, 0.28376423, 0.40252441, 0.49880178, 0.59188212])
        expectClose(n.b_o, [0.11429116, -0.12292422])
        expectClose(n.b_h, [0.10504883, -0.10239644, 0.18376423])
    }

    @Test func oneClassicStepMatchesDoc001AsWritten() {
        // No biases: W_ho += lr·h·(e⊙o⊙(1−o))ᵀ, e_h = W_ho·e, W_ih += lr·x·(e_h⊙h⊙(1−h))ᵀ.
        var n = Network(inputCount: 2, hiddenCount: 3, outputCount: 2,
                        W_ih: NetworkTests.doc002.W_ih, W_ho: NetworkTests.doc002.W_ho)
        let g = n.backprop(x, target: t, loss: .mse, rule: .classic)
        #expect(g.b_h.allSatisfy { $0 == 0 } && g.b_o.allSatisfy { $0 == 0 })
        n.update(with: g, batchSize: 1, learningRate: 0.5, l2: 0)
        expectClose(n.W_ho, [0.13731423, -0.24210413, 0.33966547, 0.35524281, -0.45805991, 0.55267621])
        expectClose(n.W_ih, [0.1216751, 0.18877836, 0.22723491, 0.41083755, 0.49438918, 0.56361746])
        #expect(n.b_h == [0, 0, 0] && n.b_o == [0, 0])
    }

    /// One-hot targets, and the targets of a picture that is no digit (uniform under
    /// cross-entropy, all low under squared error: `TargetEncoding.target(_:count:loss:)`).
    @Test(arguments: [(Loss.mse, 1), (Loss.crossEntropy, 1), (Loss.mse, 3), (Loss.crossEntropy, 3)])
    func exactRuleIsTheGradientForEveryParameter(loss: Loss, label: Int) {
        // Central finite differences of an independent Double forward pass, for every parameter.
        let n = Reference.network(inputs: 6, hidden: 4, outputs: 3, output: loss.outputLayer)
        let x: [Float] = [0.9, 0, 0.3, 1, 0.05, 0.6]
        let t = TargetEncoding.onehot.target(label, count: 3, loss: loss)
        let g = n.backprop(x, target: t, loss: loss, rule: .exact)
        let eps: Float = 1e-2
        func numeric(_ perturb: (inout Network, Float) -> Void) -> Double {
            var plus = n, minus = n
            perturb(&plus, eps)
            perturb(&minus, -eps)
            return (Reference.loss(plus, x: x, t: t, loss: loss) - Reference.loss(minus, x: x, t: t, loss: loss)) / Double(2 * eps)
        }
        func check(_ analytic: Float, _ numeric: Double, _ what: String) {
            #expect(abs(Double(analytic) - numeric) < 2e-4 + 1e-3 * abs(numeric), "\(what): backprop \(analytic), finite differences \(numeric)")
        }
        for i in n.W_ih.indices { check(g.W_ih[i], numeric { $0.W_ih[i] += $1 }, "W_ih[\(i)]") }
        for i in n.W_ho.indices { check(g.W_ho[i], numeric { $0.W_ho[i] += $1 }, "W_ho[\(i)]") }
        for j in n.b_h.indices { check(g.b_h[j], numeric { $0.b_h[j] += $1 }, "b_h[\(j)]") }
        for k in n.b_o.indices { check(g.b_o[k], numeric { $0.b_o[k] += $1 }, "b_o[\(k)]") }
    }

    @Test func theRulesDifferExactlyByTheMissingOutputDerivative() {
        // Same W_ho updates; for W_ih, classic's δ_h is exact's with δ_o replaced by o − t,
        // i.e. without the factor o ⊙ (1 − o). Check it through a net with one output, where
        // the factor is a single number.
        let n = Reference.network(inputs: 5, hidden: 4, outputs: 1)
        let x: [Float] = [0.2, 0.7, 0, 1, 0.4]
        let exact = n.backprop(x, target: [1], loss: .mse, rule: .exact)
        let classic = n.backprop(x, target: [1], loss: .mse, rule: .classic)
        let o = n.query(x)[0]
        let factor = o * (1 - o)
        #expect(exact.W_ho == classic.W_ho)
        for i in exact.W_ih.indices {
            #expect(abs(exact.W_ih[i] - classic.W_ih[i] * factor) <= 1e-7 + 1e-5 * abs(exact.W_ih[i]))
        }
        #expect(exact.W_ih.contains { $0 != 0 })
    }

    @Test func updateAveragesTheBatchAndDecaysWeightsNotBiases() {
        // doc 000 §6: W −= α[(1/K)ΔW + λW], b −= α(1/K)Δb.
        var n = Network(inputCount: 1, hiddenCount: 1, outputCount: 1, W_ih: [2], W_ho: [3], b_h: [5], b_o: [7])
        var sum = Gradient(zeroFor: n)
        sum.W_ih = [4]; sum.W_ho = [8]; sum.b_h = [12]; sum.b_o = [16]
        n.update(with: sum, batchSize: 4, learningRate: 0.5, l2: 0.1)
        #expect(n.W_ih == [2 - 0.5 * (1 + 0.2)])
        #expect(n.W_ho == [3 - 0.5 * (2 + 0.3)])
        #expect(n.b_h == [5 - 0.5 * 3])
        #expect(n.b_o == [7 - 0.5 * 4])
    }

    /// Doc 004 at depth: central finite differences of the independent Double forward pass agree
    /// with backprop for every weight and bias of a network of three hidden layers, for each
    /// hidden activation and both losses. (The relu net's inputs keep every unit's z away from 0,
    /// where its derivative jumps; a wrong BP2 would miss by far more than the tolerance.)
    @Test(arguments: HiddenActivation.allCases, Loss.allCases)
    func exactRuleIsTheGradientAtThreeHiddenLayers(activation: HiddenActivation, loss: Loss) {
        let n = Reference.network(sizes: [5, 4, 3, 4, 3], activation: activation, output: loss.outputLayer, seed: 11)
        let x: [Float] = [0.9, 0, 0.3, 1, 0.6]
        let t = TargetEncoding.onehot.target(1, count: 3, loss: loss)
        let g = n.backprop(x, target: t, loss: loss, rule: .exact)
        let eps: Float = activation == .relu ? 1e-3 : 1e-2
        func numeric(_ perturb: (inout Network, Float) -> Void) -> Double {
            var plus = n, minus = n
            perturb(&plus, eps)
            perturb(&minus, -eps)
            return (Reference.loss(plus, x: x, t: t, loss: loss) - Reference.loss(minus, x: x, t: t, loss: loss)) / Double(2 * eps)
        }
        var checked = 0
        for l in n.layers.indices {
            for i in n.layers[l].W.indices {
                let d = numeric { $0.layers[l].W[i] += $1 }
                #expect(abs(Double(g.layers[l].W[i]) - d) < 5e-4 + 2e-3 * abs(d), "W_\(l + 1)[\(i)]: \(g.layers[l].W[i]) vs \(d)")
                checked += 1
            }
            for j in n.layers[l].b.indices {
                let d = numeric { $0.layers[l].b[j] += $1 }
                #expect(abs(Double(g.layers[l].b[j]) - d) < 5e-4 + 2e-3 * abs(d), "b_\(l + 1)[\(j)]: \(g.layers[l].b[j]) vs \(d)")
                checked += 1
            }
        }
        #expect(checked == 5 * 4 + 4 * 3 + 3 * 4 + 4 * 3 + 4 + 3 + 4 + 3)
        #expect(g.layers.allSatisfy { $0.W.contains { $0 != 0 } })
    }

    /// The classic rule at depth, step by step as doc 001 defines it: the output error
    /// e = o − t goes down through each layer's weights raw, eˡ = Wˡ⁺¹·eˡ⁺¹, and layer l's step
    /// is aˡ⁻¹·(eˡ ⊙ f′(zˡ))ᵀ; no biases.
    @Test func theClassicRuleSendsRawErrorsThroughEveryLayer() {
        let n = Reference.network(sizes: [3, 4, 2, 2], activation: .sigmoid, seed: 3)
        let x: [Float] = [0.5, 0.25, 1]
        let t: [Float] = [1, 0]
        let g = n.backprop(x, target: t, loss: .mse, rule: .classic)
        let a = n.feedforward(x).a
        func times(_ W: [Float], _ v: [Float]) -> [Float] {
            (0..<W.count / v.count).map { i in v.indices.reduce(0) { $0 + W[i * v.count + $1] * v[$1] } }
        }
        let e3 = zip(a[3], t).map { $0 - $1 }
        let e2 = times(n.layers[2].W, e3), e1 = times(n.layers[1].W, e2)
        let deltas = [e1, e2, e3].enumerated().map { l, e in e.indices.map { e[$0] * a[l + 1][$0] * (1 - a[l + 1][$0]) } }
        for l in 0..<3 {
            let expected = a[l].indices.flatMap { i in deltas[l].map { a[l][i] * $0 } }
            expectClose(g.layers[l].W, expected, 1e-6)
            #expect(g.layers[l].b.allSatisfy { $0 == 0 })
        }
    }
}

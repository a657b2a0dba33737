import Testing
@testable import DigitsKit

@Suite("Network")
struct NetworkTests {
    /// Doc 002's 2-3-2 shape with values chosen for the test.
    static let doc002 = Network(
        inputCount: 2, hiddenCount: 3, outputCount: 2,
        W_ih: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],  // V_ij: input i → hidden j
        W_ho: [0.1, -0.2, 0.3, 0.4, -0.5, 0.6],  // W_jk: hidden j → output k
        b_h: [0.1, -0.1, 0.2], b_o: [0.05, -0.05])

    @Test func forwardFollowsDoc001Convention() {
        // h = σ(W_ihᵀ·x + b_h), o = σ(W_hoᵀ·h + b_o), values computed by hand (numpy, float64).
        let a = Self.doc002.feedforward([1.0, 0.5])
        let expectedH: [Float] = [0.59868766, 0.58661758, 0.68997448]
        let expectedO: [Float] = [0.48522101, 0.61748672]
        for j in 0..<3 { #expect(abs(a.h[j] - expectedH[j]) < 1e-6) }
        for k in 0..<2 { #expect(abs(a.o[k] - expectedO[k]) < 1e-6) }
        #expect(Self.doc002.query([1.0, 0.5]) == a.o)
    }

    @Test func initialisationIsDoc001sFromTheSeed() {
        let a = Network(seed: 42), b = Network(seed: 42), c = Network(seed: 43)
        #expect(a == b)
        #expect(a != c)
        #expect(a.W_ih.count == 784 * 100 && a.W_ho.count == 100 * 10)
        #expect(a.b_h.allSatisfy { $0 == 0 } && a.b_o.allSatisfy { $0 == 0 })
        func sd(_ v: [Float]) -> Double {
            let mean = v.reduce(0.0) { $0 + Double($1) } / Double(v.count)
            return (v.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(v.count)).squareRoot()
        }
        // normal(0, 100^−½) = 0.1 for W_ih; normal(0, 10^−½) ≈ 0.316 for W_ho.
        #expect(abs(sd(a.W_ih) - 0.1) < 0.002)
        #expect(abs(sd(a.W_ho) - 0.3162) < 0.02)
        #expect(abs(a.W_ih.reduce(0.0) { $0 + Double($1) } / Double(a.W_ih.count)) < 0.002)
    }

    @Test func argmaxTakesTheFirstLargest() {
        #expect(argmax([0.1, 0.9, 0.3]) == 1)
        #expect(argmax([0.5, 0.5]) == 0)
    }
}

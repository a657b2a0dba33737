import Foundation
import Testing
@testable import DigitsKit

/// The back-query against values worked out by hand from the book's steps, on a 2-3-2
/// network whose weights are exact in binary (so Float holds them exactly).
struct BackQueryTests {
    /// W_ih (2 inputs × 3 hidden) and W_ho (3 hidden × 2 outputs), doc 001's convention.
    static let W_ih: [Float] = [0.5, -0.25, 0.75,
                                1.0, 0.5, -0.5]
    static let W_ho: [Float] = [0.5, -0.5,
                                0.25, 1.0,
                                -0.75, 0.125]

    static func network(inputRows: [Float] = W_ih, inputs: Int = 2, b_h: [Float]? = nil, b_o: [Float]? = nil) -> Network {
        Network(inputCount: inputs, hiddenCount: 3, outputCount: 2, W_ih: inputRows, W_ho: W_ho, b_h: b_h, b_o: b_o)
    }

    /// Target (0.99, 0.01): z_o = (logit 0.99, logit 0.01) = (4.595120, −4.595120);
    /// W_ho·z_o = (0.5·4.595 + 0.5·4.595, 0.25·4.595 − 4.595, −0.75·4.595 − 0.125·4.595)
    ///          = (4.595120, −3.446340, −4.020730);
    /// minus the min, over the new max (8.615850), ×0.98 + 0.01 → (0.99, 0.0753333, 0.01).
    @Test func hiddenLayerOfTheBookByHand() throws {
        let h = try Self.network().backqueryValues([0.99, 0.01])[0]
        let expected = [0.99, 0.075333333333333, 0.01]
        for (a, b) in zip(h, expected) { #expect(abs(a - b) < 1e-6, "\(h) vs \(expected)") }
    }

    /// Then z_h = logit(h) = (4.595120, −2.507511, −4.595120) and
    /// W_ih·z_h = (0.5·4.595 + 0.25·2.508 − 0.75·4.595, 4.595 − 0.5·2.508 + 0.5·4.595)
    ///          = (−0.521902, 5.638924) → rescaled (0.01, 0.99).
    @Test func inputsOfTheBookByHand() throws {
        let x = try Self.network().backquery(digit: 0)
        #expect(abs(x[0] - 0.01) < 1e-9 && abs(x[1] - 0.99) < 1e-9, "\(x)")
        // Digit 1 negates z_o, so everything flips.
        let y = try Self.network().backquery(digit: 1)
        #expect(abs(y[0] - 0.99) < 1e-9 && abs(y[1] - 0.01) < 1e-9, "\(y)")
    }

    /// A third input row (−0.5, 0.25, 1.0) lands between the others:
    /// −0.5·4.595 − 0.25·2.508 − 4.595 = −7.519557, so the three inputs (−0.521902, 5.638924,
    /// −7.519557) rescale to (0.531162, 0.99, 0.01).
    @Test func aMiddleInputRescaledByHand() throws {
        let n = Self.network(inputRows: Self.W_ih + [-0.5, 0.25, 1.0], inputs: 3)
        let x = try n.backquery(digit: 0)
        let expected = [0.5311620963052321, 0.99, 0.01]
        for (a, b) in zip(x, expected) { #expect(abs(a - b) < 1e-6, "\(x) vs \(expected)") }
    }

    /// With biases each layer's bias comes off its logits first: z_o = (4.595120 − 0.5,
    /// −4.595120 + 0.25) = (4.095120, −4.345120); W_ho·z_o = (4.220120, −3.321340, −3.614480)
    /// → (0.99, 0.0466678, 0.01).
    @Test func biasesAreTakenOffBeforeGoingBack() throws {
        let n = Self.network(b_h: [0.25, -0.5, 0.125], b_o: [0.5, -0.25])
        let h = try n.backqueryValues([0.99, 0.01])[0]
        let expected = [0.99, 0.04666775482411856, 0.01]
        for (a, b) in zip(h, expected) { #expect(abs(a - b) < 1e-6, "\(h) vs \(expected)") }
    }

    @Test func aLayerOfEqualValuesMapsToTheMiddle() {
        #expect(Network.rescaled([2, 2, 2], into: .sigmoid) == [0.5, 0.5, 0.5])
        #expect(Network.rescaled([-1, 0, 1], into: .sigmoid) == [0.01, 0.5, 0.99])
    }

    /// On a full-size network every input stays within the book's 0.01…0.99.
    @Test func everyValueStaysWithinTheBooksRange() throws {
        let n = Network(seed: 3)
        for d in 0..<10 {
            let x = try n.backquery(digit: d)
            #expect(x.count == 784)
            #expect(x.allSatisfy { $0 >= 0.01 - 1e-12 && $0 <= 0.99 + 1e-12 })
        }
    }

    /// Through two hidden layers of tanh, each layer is undone by atanh and rescaled into
    /// −0.98…0.98: checked against the same steps written out by hand for this network.
    @Test func twoTanhHiddenLayersAreUndoneLayerByLayer() throws {
        let n = Network(sizes: [4, 3, 2, 2], hiddenActivation: .tanh, seed: 5)
        let values = try n.backqueryValues([0.99, 0.01])
        #expect(values.map(\.count) == [2, 3, 4])
        func back(_ l: Int, _ z: [Double]) -> [Double] {
            let layer = n.layers[l]
            let z = z.indices.map { z[$0] - Double(layer.b[$0]) }
            return (0..<layer.inputCount).map { i in (0..<layer.outputCount).reduce(0.0) { $0 + Double(layer.W[i * layer.outputCount + $1]) * z[$1] } }
        }
        func rescale(_ v: [Double], _ span: Double, _ low: Double) -> [Double] {
            v.map { ($0 - v.min()!) / (v.max()! - v.min()!) * span + low }
        }
        let a2 = rescale(back(2, [0.99, 0.01].map { log($0 / (1 - $0)) }), 1.96, -0.98)
        let a1 = rescale(back(1, a2.map(atanh)), 1.96, -0.98)
        let x = rescale(back(0, a1.map(atanh)), 0.98, 0.01)
        for (got, want) in zip(values, [a2, a1, x]) {
            for (g, w) in zip(got, want) { #expect(abs(g - w) < 1e-9, "\(got) vs \(want)") }
        }
    }

    @Test func aReluNetworkSaysItCannotBeRunBackwards() {
        let n = Network(sizes: [4, 3, 2], hiddenActivation: .relu, seed: 5)
        #expect(throws: BackQueryError.notInvertible(.relu)) { try n.backquery(digit: 0) }
        #expect(BackQueryError.notInvertible(.relu).description.contains("relu has none"))
    }
}

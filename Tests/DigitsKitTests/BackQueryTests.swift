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
    @Test func hiddenLayerOfTheBookByHand() {
        let h = Self.network().backqueryHidden([0.99, 0.01])
        let expected = [0.99, 0.075333333333333, 0.01]
        for (a, b) in zip(h, expected) { #expect(abs(a - b) < 1e-6, "\(h) vs \(expected)") }
    }

    /// Then z_h = logit(h) = (4.595120, −2.507511, −4.595120) and
    /// W_ih·z_h = (0.5·4.595 + 0.25·2.508 − 0.75·4.595, 4.595 − 0.5·2.508 + 0.5·4.595)
    ///          = (−0.521902, 5.638924) → rescaled (0.01, 0.99).
    @Test func inputsOfTheBookByHand() {
        let x = Self.network().backquery(digit: 0)
        #expect(abs(x[0] - 0.01) < 1e-9 && abs(x[1] - 0.99) < 1e-9, "\(x)")
        // Digit 1 negates z_o, so everything flips.
        let y = Self.network().backquery(digit: 1)
        #expect(abs(y[0] - 0.99) < 1e-9 && abs(y[1] - 0.01) < 1e-9, "\(y)")
    }

    /// A third input row (−0.5, 0.25, 1.0) lands between the others:
    /// −0.5·4.595 − 0.25·2.508 − 4.595 = −7.519557, so the three inputs (−0.521902, 5.638924,
    /// −7.519557) rescale to (0.531162, 0.99, 0.01).
    @Test func aMiddleInputRescaledByHand() {
        let n = Self.network(inputRows: Self.W_ih + [-0.5, 0.25, 1.0], inputs: 3)
        let x = n.backquery(digit: 0)
        let expected = [0.5311620963052321, 0.99, 0.01]
        for (a, b) in zip(x, expected) { #expect(abs(a - b) < 1e-6, "\(x) vs \(expected)") }
    }

    /// With biases each layer's bias comes off its logits first: z_o = (4.595120 − 0.5,
    /// −4.595120 + 0.25) = (4.095120, −4.345120); W_ho·z_o = (4.220120, −3.321340, −3.614480)
    /// → (0.99, 0.0466678, 0.01).
    @Test func biasesAreTakenOffBeforeGoingBack() {
        let n = Self.network(b_h: [0.25, -0.5, 0.125], b_o: [0.5, -0.25])
        let h = n.backqueryHidden([0.99, 0.01])
        let expected = [0.99, 0.04666775482411856, 0.01]
        for (a, b) in zip(h, expected) { #expect(abs(a - b) < 1e-6, "\(h) vs \(expected)") }
    }

    @Test func aLayerOfEqualValuesMapsToTheMiddle() {
        #expect(Network.rescaledForLogit([2, 2, 2]) == [0.5, 0.5, 0.5])
        #expect(Network.rescaledForLogit([-1, 0, 1]) == [0.01, 0.5, 0.99])
    }

    /// On a full-size network every input stays within the book's 0.01…0.99.
    @Test func everyValueStaysWithinTheBooksRange() {
        let n = Network(seed: 3)
        for d in 0..<10 {
            let x = n.backquery(digit: d)
            #expect(x.count == 784)
            #expect(x.allSatisfy { $0 >= 0.01 - 1e-12 && $0 <= 0.99 + 1e-12 })
        }
    }
}

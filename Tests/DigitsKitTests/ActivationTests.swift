import Testing
@testable import DigitsKit

@Suite("Activation")
struct ActivationTests {
    @Test func sigmoidIsSafeAtTheExtremes() {
        #expect(sigmoid(1000) == 1)
        #expect(sigmoid(-1000) == 0)
        #expect(sigmoid(.greatestFiniteMagnitude) == 1)
        #expect(sigmoid(-.greatestFiniteMagnitude) == 0)
        #expect(sigmoid(0) == 0.5)
        #expect(abs(sigmoid(2) - 0.880797) < 1e-6)
        #expect(abs(sigmoid(-2) - 0.119203) < 1e-6)
    }

    @Test func sigmoidDerivativeMatchesFiniteDifferences() {
        for z: Float in [-4, -1, 0, 0.5, 3] {
            let numeric = (Double(sigmoid(z + 1e-3)) - Double(sigmoid(z - 1e-3))) / 2e-3
            #expect(abs(Double(sigmoidDerivative(fromOutput: sigmoid(z))) - numeric) < 1e-4)
        }
    }

    @Test func softmaxSumsToOneWithoutOverflow() {
        var z: [Float] = [1000, 999, -1000]
        OutputLayer.softmax.apply(&z)
        #expect(z.allSatisfy { $0.isFinite })
        #expect(abs(z.reduce(0, +) - 1) < 1e-6)
        #expect(abs(z[0] - 0.7310586) < 1e-6)
    }
}

import Testing
@testable import DigitsKit

@Suite("Loss")
struct LossTests {
    @Test func squaredErrorIsHalfTheSumOfSquares() {
        #expect(abs(Loss.mse.value(output: [0.5, 0.25], target: [1, 0]) - 0.5 * (0.25 + 0.0625)) < 1e-12)
    }

    @Test func crossEntropyIsMinusLogOfTheTrueClass() {
        #expect(abs(Loss.crossEntropy.value(output: [0.25, 0.75], target: [0, 1]) - (-log(0.75))) < 1e-7)
    }

    @Test func outputDeltas() {
        // doc 000 eq. 7: (o − t) ⊙ o(1 − o); doc 003: o − t.
        #expect(Loss.mse.outputDelta(output: [0.5, 0.25], target: [1, 0]) == [-0.5 * 0.25, 0.25 * 0.1875])
        #expect(Loss.crossEntropy.outputDelta(output: [0.5, 0.25], target: [1, 0]) == [-0.5, 0.25])
        #expect(Loss.mse.outputLayer == .sigmoid && Loss.crossEntropy.outputLayer == .softmax)
    }
}

#if canImport(Glibc)
import Glibc
#endif

import Testing
@testable import DigitsKit

@Suite("Momentum")
struct MomentumTests {
    /// Gradient descent on f(w) = ½·a·w², whose gradient is a·w.
    func descend(_ momentum: Momentum, a: Float = 1, lr: Float = 0.1, steps: Int) -> [Float] {
        var w: Float = 1, v: Float = 0
        var path: [Float] = []
        for _ in 0..<steps {
            momentum.step(&w, velocity: &v, plainStep: -lr * a * w)
            path.append(w)
        }
        return path
    }

    @Test func classicalMomentumByHand() {
        // v1 = −0.1, w1 = 0.9; v2 = 0.9·(−0.1) − 0.09 = −0.18, w2 = 0.72.
        let path = descend(Momentum(mu: 0.9, nesterov: false), steps: 2)
        #expect(abs(path[0] - 0.9) < 1e-6 && abs(path[1] - 0.72) < 1e-6)
    }

    @Test func nesterovByHand() {
        // v1 = −0.1, w1 = 1 + 0.9·(−0.1) − 0.1 = 0.81; g2 = −0.081, v2 = −0.09 − 0.081 = −0.171,
        // w2 = 0.81 + 0.9·(−0.171) − 0.081 = 0.5751.
        let path = descend(Momentum(mu: 0.9, nesterov: true), steps: 2)
        #expect(abs(path[0] - 0.81) < 1e-6 && abs(path[1] - 0.5751) < 1e-6)
    }

    @Test func zeroMomentumIsPlainSGDAndMomentumSpeedsAnIllConditionedQuadratic() {
        #expect(descend(Momentum(mu: 0, nesterov: false), steps: 3) == [0.9, 0.81, 0.729].map { Float($0) })
        // A flat direction (a = 0.01): plain SGD barely moves in 200 steps; momentum gets far closer.
        let plain = abs(descend(Momentum(mu: 0, nesterov: false), a: 0.01, steps: 200).last!)
        let heavy = abs(descend(Momentum(mu: 0.9, nesterov: false), a: 0.01, steps: 200).last!)
        let nesterov = abs(descend(Momentum(mu: 0.9, nesterov: true), a: 0.01, steps: 200).last!)
        #expect(plain > 0.8)
        #expect(heavy < 0.15 && nesterov < 0.15)  // about 0.12 for both (0.819 for plain SGD)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The fast path of training and inference. Every formula here is one of Network.feedforward,
// Network.backprop or Network.update (docs 000 and 001), fused and laid out for SIMD; the tests
// hold these kernels to those plain versions. This target is the only code with unsafe
// pointers, and the only code a release build compiles unchecked (-Ounchecked) and for the
// building machine's vector instructions.
//
// Layout: the hidden dimension is padded to Hp, a multiple of 8, so every row is a run of
// whole SIMD8<Float> vectors; W_ho is kept transposed (outputs × Hp) so that both the output
// layer and the backward pass are runs of vectors too. Padded hidden units are held at h = 0,
// so they neither contribute nor learn.

package typealias Vector = SIMD8<Float>

/// The kernels: training steps, inference and the augmentation sampler, in the files of this
/// target by concern.
package enum Kernels {}

/// The settings a training step needs, resolved to numbers (DigitsKit's `StepSettings`, whose
/// loss, rule and targets are the documents' names, resolves them to these).
package struct KernelSettings {
    /// The learning rate at the first step of the epoch; it moves in a straight line to
    /// `learningRateEnd` at the last (a schedule, one segment per epoch).
    package var learningRate: Float
    package var learningRateEnd: Float
    /// Momentum μ (0: none) and whether the step looks ahead (Nesterov).
    package var momentum: Float = 0
    package var nesterov = false
    package var l2: Float
    package var batchSize: Int
    /// The exact gradient (with biases), or doc 001's classic rule.
    package var exactRule: Bool
    /// Softmax with cross-entropy (δ = o − t, doc 003), or sigmoid with squared error.
    package var crossEntropy: Bool
    /// The target of the label's output and of the others, and of every output for a picture
    /// that is no digit (a label ≥ the output count).
    package var targetHigh: Float
    package var targetLow: Float
    package var nonDigitLevel: Float

    package init(learningRate: Float, learningRateEnd: Float, momentum: Float, nesterov: Bool, l2: Float, batchSize: Int,
                 exactRule: Bool, crossEntropy: Bool, targetHigh: Float, targetLow: Float, nonDigitLevel: Float) {
        (self.learningRate, self.learningRateEnd, self.momentum, self.nesterov) = (learningRate, learningRateEnd, momentum, nesterov)
        (self.l2, self.batchSize, self.exactRule, self.crossEntropy) = (l2, batchSize, exactRule, crossEntropy)
        (self.targetHigh, self.targetLow, self.nonDigitLevel) = (targetHigh, targetLow, nonDigitLevel)
    }
}

/// Storage of `count` vectors, 32-byte aligned, zeroed.
package func vectors(_ count: Int) -> UnsafeMutablePointer<Vector> {
    let p = UnsafeMutablePointer<Vector>.allocate(capacity: max(count, 1))
    p.initialize(repeating: Vector(), count: max(count, 1))
    return p
}

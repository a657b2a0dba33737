import DigitsKernels

/// What the network says about one image.
public struct Prediction: Sendable, Equatable {
    /// How far the answer can be trusted, from the calibrated probability and the model's
    /// thresholds (fitted on the validation split: `Calibration`).
    public enum Verdict: String, Sendable, Equatable {
        /// The probability is at or above the unsure threshold.
        case sure
        /// Below it: the two most likely digits are the answer.
        case unsure
        /// No ink at all, or a probability so low that no digit of the validation split had it.
        case notADigit = "not_a_digit"
    }

    /// The digit with the largest output.
    public let digit: Int
    /// The ten outputs of the network (sigmoid or softmax).
    public let scores: [Float]
    /// The calibrated probability of each digit: softmax(z/T) (`Calibration`).
    public let probabilities: [Float]
    public let verdict: Verdict

    public init(scores: [Float], probabilities: [Float], verdict: Verdict) {
        self.digit = argmax(scores)
        self.scores = scores
        self.probabilities = probabilities
        self.verdict = verdict
    }

    /// The calibrated probability of the answer.
    public var probability: Float { probabilities[digit] }

    /// The two most likely digits, most likely first.
    public var top: [(digit: Int, probability: Float)] {
        probabilities.indices.sorted { probabilities[$0] != probabilities[$1] ? probabilities[$0] > probabilities[$1] : $0 < $1 }
            .prefix(2).map { ($0, probabilities[$0]) }
    }
}

extension Model {
    /// How the model's outputs become probabilities: from its metadata, else uncalibrated.
    public var calibration: Calibration { Calibration(metadata: metadata) }

    /// Classifies one image of 784 intensities 0…255, scaled as the model was trained (and
    /// deskewed, when it was trained on deskewed images, unless `deskewed` says it is already:
    /// an image of a data set prepared for the model, as `train`, `evaluate` and `report` do).
    public func predict(_ pixels: [Float], deskewed: Bool = false) -> Prediction {
        predict([pixels], deskewed: deskewed)[0]
    }

    /// `predict` for several images at once, one batch through the kernels.
    public func predict(_ images: [[Float]], deskewed: Bool = false) -> [Prediction] {
        let x = images.map { pixels in (deskews && !deskewed ? Deskew.apply(pixels) : pixels).map { inputs.scale(intensity: $0) } }
        let calibration = self.calibration
        return packed.logits(x).map { z in
            var o = z
            network.outputLayer.apply(&o)
            let probabilities = calibration.probabilities(z)
            let p = probabilities[argmax(o)]
            let verdict: Prediction.Verdict = p < calibration.notADigitBelow ? .notADigit : p < calibration.unsureBelow ? .unsure : .sure
            return Prediction(scores: o, probabilities: probabilities, verdict: verdict)
        }
    }
}

/// A model's network packed once for the kernels, so that every image `query`, the server,
/// calibration and the report read goes through the kernels' forward pass (doc 004 eq. 25,
/// layer by layer: the one inference path, held to `Network.feedforward` by tests) without
/// packing the weights again. Never written after packing, so threads share it.
final class PackedModel: @unchecked Sendable {
    let layers: PackedLayers

    init(_ network: Network) { layers = PackedLayers(network) }

    /// z of the output layer for each image of `x` (inputs already scaled, n_0 each).
    func logits(_ x: [[Float]]) -> [[Float]] {
        for row in x { precondition(row.count == layers.sizes[0], "an image of \(row.count) inputs for a network of \(layers.sizes[0])") }
        return rows(Kernels.predict(layers, inputs: SparseInputs(rows: x), logits: true))
    }

    /// z of the output layer for each of `count` images of bytes, scaled through `table`.
    func logits(images: [UInt8], count: Int, table: [Float]) -> [[Float]] {
        rows(Kernels.predict(layers, inputs: SparseInputs(images: images, count: count, pixels: layers.sizes[0], table: table), logits: true))
    }

    private func rows(_ z: [Float]) -> [[Float]] {
        let O = layers.sizes[layers.sizes.count - 1]
        return (0..<z.count / O).map { Array(z[$0 * O..<($0 + 1) * O]) }
    }
}

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
        let x = (deskews && !deskewed ? Deskew.apply(pixels) : pixels).map { inputs.scale(intensity: $0) }
        let a = network.feedforward(x)
        let calibration = self.calibration
        let probabilities = calibration.probabilities(a.z_o)
        let p = probabilities[argmax(a.o)]
        let verdict: Prediction.Verdict = p < calibration.notADigitBelow ? .notADigit : p < calibration.unsureBelow ? .unsure : .sure
        return Prediction(scores: a.o, probabilities: probabilities, verdict: verdict)
    }
}

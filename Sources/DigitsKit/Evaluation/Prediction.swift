/// What the network says about one image.
public struct Prediction: Sendable, Equatable {
    /// The digit with the largest output.
    public let digit: Int
    /// The ten outputs of the network (sigmoid or softmax).
    public let scores: [Float]

    /// The predicted digit's share of all ten scores: its probability under softmax, and a
    /// comparable 0…1 figure for sigmoid outputs, which need not sum to 1.
    public var confidence: Double {
        let sum = scores.reduce(0.0) { $0 + Double($1) }
        return sum > 0 ? Double(scores[digit]) / sum : 0
    }
}

extension Model {
    /// Classifies one image of 784 intensities 0…255, scaled as the model was trained.
    public func predict(_ pixels: [Float]) -> Prediction {
        let x = pixels.map { inputs.scale(intensity: $0) }
        let scores = network.query(x)
        return Prediction(digit: argmax(scores), scores: scores)
    }
}

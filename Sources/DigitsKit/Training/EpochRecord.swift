/// One epoch's figures as the project writes them out: in a model's `history` metadata and in
/// `digits train --json`. The one place their names and precisions are decided: the loss to six
/// decimals, the accuracies to four (a hundredth of a point), the seconds to three.
public struct EpochRecord: Encodable, Sendable, Equatable {
    let epoch: Int
    let loss: Double
    let training_accuracy: Double?
    let validation_accuracy: Double?
    let accuracy: Double?
    /// Only `train --json` has it: a model's history leaves times out, so that the same run
    /// writes the same file.
    let seconds: Double?

    public init(_ r: EpochReport, withSeconds: Bool) {
        epoch = r.epoch
        loss = Self.rounded(r.loss, 6)
        training_accuracy = r.trainingAccuracy.map { Self.rounded($0, 4) }
        validation_accuracy = r.validationAccuracy.map { Self.rounded($0, 4) }
        accuracy = r.accuracy.map { Self.rounded($0, 4) }
        seconds = withSeconds ? Self.rounded(r.seconds, 3) : nil
    }

    static func rounded(_ x: Double, _ decimals: Int) -> Double {
        guard x.isFinite else { return x }
        let scale = [1.0, 10, 100, 1e3, 1e4, 1e5, 1e6][decimals]
        return (x * scale).rounded() / scale
    }
}

import ArgumentParser
import DigitsKit

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure a model on the MNIST test set: confusion matrix, precision and recall, accuracy."
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var model: ModelOptions

    @Flag(help: "Print one JSON object (model, architecture, accuracy, correct, total, confusion, precision, recall).")
    var json = false

    @Option(help: ArgumentHelp("Exit non-zero when the accuracy is below this: a fraction (0.97) or a percentage (97).", valueName: "x"))
    var minAccuracy: Double?

    func validate() throws {
        if let x = minAccuracy, !(x.isFinite && x >= 0 && x <= 100) {
            throw ValidationError("--min-accuracy must be a fraction 0…1 or a percentage 0…100, got \(x)")
        }
    }

    func run() throws {
        let (loaded, choice) = try model.load(for: .judging)
        let raw = try data.directory.load(.test)
        let test = loaded.deskews ? raw.deskewed() : raw
        let evaluation = Evaluation(network: loaded.network, inputs: loaded.inputs, data: test)
        let ece = Calibration.errors(model: loaded, on: test)
        if json {
            let f = evaluation.figures
            Console.line(encodedLine(EvaluationJSON(model: choice.source, architecture: loaded.architecture, ece: ece.calibrated,
                                                    ece_share_of_outputs: ece.share, accuracy: f.accuracy, correct: f.correct,
                                                    total: f.total, confusion: f.confusion, precision: f.precision, recall: f.recall)))
        } else {
            // Which model answered comes first: with no --model it may be a trained one or the
            // shipped one, and the figures below mean little without knowing which.
            Console.line("model: \(choice.source) (\(loaded.summary))")
            Console.line("calibration: expected calibration error \(fixed(ece.calibrated * 100, 2))% (15 bins) of the probabilities; "
                         + "\(fixed(ece.share * 100, 2))% for the share of the ten outputs")
            Console.line()
            // The accuracy line stays the last, as `make train` and CI read it.
            Console.line(evaluation.report())
        }
        if let x = minAccuracy {
            let required = x > 1 ? x / 100 : x
            if evaluation.accuracy < required {
                throw BelowMinimum(accuracy: evaluation.accuracy, required: required)
            }
        }
    }
}

struct BelowMinimum: Error, CustomStringConvertible {
    let accuracy: Double
    let required: Double
    var description: String { "accuracy \(percent(accuracy)) is below the required \(percent(required))" }
}

/// What `digits evaluate --json` prints: which model, its calibration error, and the figures
/// of `Evaluation.Figures` beside them.
struct EvaluationJSON: Encodable {
    let model: String
    let architecture: String
    let ece: Double
    let ece_share_of_outputs: Double
    let accuracy: Double
    let correct: Int
    let total: Int
    let confusion: [[Int]]
    let precision: [Double]
    let recall: [Double]
}

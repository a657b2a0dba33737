import ArgumentParser
import DigitsKit

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure a model on the MNIST test set: confusion matrix, precision and recall, accuracy."
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var model: ModelOptions

    @Flag(help: "Print one JSON object (accuracy, correct, total, confusion, precision, recall).")
    var json = false

    @Option(help: ArgumentHelp("Exit non-zero when the accuracy is below this: a fraction (0.97) or a percentage (97).", valueName: "x"))
    var minAccuracy: Double?

    func validate() throws {
        if let x = minAccuracy, !(x.isFinite && x >= 0 && x <= 100) {
            throw ValidationError("--min-accuracy must be a fraction 0…1 or a percentage 0…100, got \(x)")
        }
    }

    func run() throws {
        let (loaded, _) = try model.load()
        let test = try data.directory.load(.test)
        let evaluation = Evaluation(network: loaded.network, inputs: loaded.inputs, data: test)
        Console.line(json ? evaluation.json() : evaluation.report())
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

import ArgumentParser
import DigitsKit

/// What the report shows beyond the model and data: shared by `report` and `train --report`.
struct ReportOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Also write each figure as its own PNG into this folder (made when missing).", valueName: "dir"))
    var png: String?

    @Option(help: ArgumentHelp("How many of the most confident mistakes the gallery shows.", valueName: "n"))
    var mistakes = 48

    func validate() throws {
        if let png, png.isEmpty { throw ValidationError("--png needs a folder path") }
        guard (0...10_000).contains(mistakes) else { throw ValidationError("--mistakes must be 0…10000, got \(mistakes)") }
    }

    /// Fails before any work when the report could not be written.
    func checkWritable(html: String) throws {
        try AtomicFile.checkWritable(html)
        if let png { try AtomicFile.checkWritable(png + "/learning-curves.png") }
    }

    /// Builds the report and writes it, printing where.
    func write(model: Model, modelSource: String, test: Dataset, testSource: String, to html: String,
               trainingSeconds: Double? = nil, announce: Bool = true) throws {
        let report = TrainingReport(model: model, modelSource: modelSource, test: test, testSource: testSource,
                                    mistakeCount: mistakes, trainingSeconds: trainingSeconds)
        let written = try report.write(htmlTo: html, pngDirectory: png)
        guard announce else { return }
        Console.line("report written to \(written[0]) (\(percent(report.evaluation.accuracy)) on \(counted(report.evaluation.total, "test image")), \(counted(report.mistakes.count, "mistake")) shown)")
        for path in written.dropFirst() { Console.line("  figure \(path)") }
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the training report: one self-contained HTML page to open in any browser, offline.",
        discussion: """
            It shows the learning curves (from the history stored in the model), the confusion \
            matrix as a heat map with precision and recall, the most confident mistakes, the \
            incoming weights of every hidden unit, the back-query of every digit, and the \
            model's metadata. --png also writes each figure as a PNG.
            """
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var report: ReportOptions

    @Option(help: ArgumentHelp("Where to write the HTML page (atomically).", valueName: "path"))
    var output = "report.html"

    func validate() throws {
        if output.isEmpty { throw ValidationError("--output needs a file path") }
    }

    func run() throws {
        try report.checkWritable(html: output)
        let (loaded, choice) = try model.load(for: .judging)
        let directory = data.directory
        let raw = try directory.load(.test)
        let test = loaded.deskews ? raw.deskewed() : raw
        try report.write(model: loaded, modelSource: choice.source, test: test,
                         testSource: "the MNIST test set in \(directory.path)", to: output)
    }

}

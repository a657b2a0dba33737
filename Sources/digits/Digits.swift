import ArgumentParser

/// `digits`: reads handwritten digits with the 784-100-10 network of doc 001.
@main
struct Digits: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digits",
        abstract: "Learns to read handwritten digits (MNIST) with the 784-100-10 sigmoid network of doc 001.",
        version: BuildInfo.text,
        subcommands: [TrainCommand.self, EvaluateCommand.self, QueryCommand.self, ReportCommand.self, ExportCommand.self, DataCommand.self]
    )
}

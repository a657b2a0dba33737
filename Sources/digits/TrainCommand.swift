import ArgumentParser
import DigitsKit
import Foundation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the 784-H-10 network on MNIST, report its accuracy and save the model.",
        discussion: """
            Defaults: 784-100-10, exact gradient, squared error with sigmoid outputs, per-example \
            SGD (batch 1) for 10 epochs, lr 0.4 on a cosine schedule down to 0, inputs x = p/255 \
            (blank pixels are exactly 0 and cost nothing), one-hot targets 0/1, seed 1.
            """
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var training: TrainingArguments

    @Option(name: .customLong("output"), help: ArgumentHelp("Where to save the model (safetensors, written atomically).", valueName: "path"))
    var output = ModelLocator.trainedPath

    @Flag(help: "Print one JSON object at the end instead of the text report.")
    var json = false

    @Flag(help: "Print only the final accuracy line.")
    var quiet = false

    func validate() throws {
        if output.isEmpty { throw ValidationError("--output needs a file path") }
    }

    func run() throws {
        // A model that cannot be saved is known before training, not after.
        try AtomicFile.checkWritable(output)
        let directory = data.directory
        let train = try directory.load(.train)
        let test = try directory.load(.test)
        let options = training.options
        let trainer = Trainer(options: options)
        let chatty = !json && !quiet
        if chatty {
            Console.line("training 784-\(options.hidden)-10 (\(options.rule.rawValue) rule, \(options.loss.rawValue), \(options.loss.outputLayer.rawValue) outputs) on \(train.count) images from \(directory.path)")
            Console.line("  \(options.epochs) epochs, lr \(options.learningRate) (\(options.schedule.rawValue)), batch \(options.batchSize), l2 \(options.l2), inputs \(options.inputs.rawValue), targets \(options.targets.rawValue), seed \(options.seed)")
        }
        let showProgress = chatty && Console.isInteractive
        var epochs: [EpochReport] = []
        let started = monotonicSeconds()
        let network = trainer.train(
            on: train, evaluateOn: test,
            progress: { done, total in
                if showProgress { Console.progress("epoch \(epochs.count + 1)", done: done, total: total) }
            },
            epochEnd: { report in
                epochs.append(report)
                if showProgress { Console.clearProgress() }
                if chatty { Console.line(Self.line(report, of: options.epochs)) }
            })
        let seconds = monotonicSeconds() - started
        let evaluation = Evaluation(network: network, inputs: options.inputs, data: test)
        let model = Model(network: network, inputs: options.inputs,
                          metadata: Model.metadata(for: options, network: network, epochsRun: epochs.count,
                                                   testAccuracy: evaluation.accuracy))
        try Safetensors.save(model, to: output)
        if json {
            let history = epochs.map {
                "{\"epoch\":\($0.epoch),\"loss\":\(fixed($0.loss, 6)),\"accuracy\":\(fixed($0.accuracy ?? 0, 6)),\"seconds\":\(fixed($0.seconds, 3))}"
            }.joined(separator: ",")
            Console.line("{\"model\":\(jsonQuoted(output)),\"seconds\":\(fixed(seconds, 3)),\"epochs\":[\(history)],\"evaluation\":\(evaluation.json())}")
        } else if quiet {
            Console.line(evaluation.accuracyLine)
        } else {
            Console.line()
            Console.line("trained in \(fixed(seconds, 1)) s; model saved to \(output)")
            Console.line()
            Console.line(evaluation.report())
        }
    }

    static func line(_ r: EpochReport, of total: Int) -> String {
        let width = String(total).count
        let epoch = String(repeating: " ", count: width - String(r.epoch).count) + String(r.epoch)
        return "epoch \(epoch)/\(total)  loss \(fixed(r.loss, 4))  test \(percent(r.accuracy ?? 0))  \(fixed(r.seconds, 2)) s  \(Int(r.imagesPerSecond)) img/s"
    }
}

/// `s` as a JSON string.
func jsonQuoted(_ s: String) -> String {
    let data = try! JSONSerialization.data(withJSONObject: [s], options: [.fragmentsAllowed])
    let array = String(decoding: data, as: UTF8.self)
    return String(array.dropFirst().dropLast())
}

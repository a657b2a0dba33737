import ArgumentParser
import DigitsKit

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the 784-H-10 network on MNIST, report its accuracy and save the model.",
        discussion: """
            Defaults: 784-100-10, exact gradient, squared error with sigmoid outputs, per-example \
            SGD (batch 1) for 30 epochs, lr 0.4 on a cosine schedule down to 0, training images \
            distorted by a new random affine map each epoch, inputs x = p/255 (blank pixels are \
            exactly 0 and cost nothing), one-hot targets 0/1, seed 1, the last 10,000 training \
            images held out for validation (--validation 0 for the final fit, as make train does).
            """
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var training: TrainingArguments

    @Option(name: .customLong("output"), help: ArgumentHelp("Where to save the model (safetensors, written atomically).", valueName: "path"))
    var output = ModelLocator.trainedPath

    @Option(help: ArgumentHelp("Save a checkpoint every N epochs (atomically), to continue from with --resume.", valueName: "n"))
    var checkpointEvery: Int?

    @Option(help: ArgumentHelp("Where checkpoints go (default: the output path with .checkpoint before its extension).", valueName: "path"))
    var checkpoint: String?

    @Option(help: ArgumentHelp("Continue from a checkpoint made with the same options: the result is that of a run never stopped.", valueName: "path"))
    var resume: String?

    @Option(help: ArgumentHelp("Also write the HTML training report here at the end (as `digits report`, with the training time).", valueName: "path"))
    var report: String?

    @OptionGroup var reportOptions: ReportOptions

    @Flag(help: "Print one JSON object at the end instead of the text report.")
    var json = false

    @Flag(help: "Print only the final accuracy line.")
    var quiet = false

    func validate() throws {
        if output.isEmpty { throw ValidationError("--output needs a file path") }
        if let n = checkpointEvery, n < 1 { throw ValidationError("--checkpoint-every must be 1 or more, got \(n)") }
        if let checkpoint, checkpoint.isEmpty { throw ValidationError("--checkpoint needs a file path") }
        if let resume, resume.isEmpty { throw ValidationError("--resume needs a file path") }
        if let report, report.isEmpty { throw ValidationError("--report needs a file path") }
        if report == nil && reportOptions.png != nil { throw ValidationError("--png goes with --report") }
    }

    /// Where checkpoints are written.
    var checkpointPath: String {
        if let checkpoint { return checkpoint }
        if output.hasSuffix(".safetensors") { return String(output.dropLast(".safetensors".count)) + ".checkpoint.safetensors" }
        return output + ".checkpoint"
    }

    /// `model` with its probabilities' temperature and thresholds fitted on the held-out
    /// images, and its calibration error there, when there are any held out.
    static func calibrated(_ model: Model, on validation: Dataset?) -> Model {
        guard let validation else { return model }
        var model = model
        model.metadata = Calibration.fit(model: model, on: validation).stored(in: model.metadata)
        let ece = Calibration.errors(model: model, on: validation)
        model.metadata["validation_ece"] = fixed(ece.calibrated, 6)
        model.metadata["validation_ece_share_of_outputs"] = fixed(ece.share, 6)
        return model
    }

    /// The training images: MNIST's, then the digits of `--drawn-digits` and the pictures of
    /// `--non-digits`, drawn from the seed and deskewed as MNIST's are.
    static func training(_ digits: Dataset, _ options: TrainingOptions) -> Dataset {
        guard options.drawnDigits > 0 || options.nonDigits > 0 else { return digits }
        var drawn = DrawnDigits.images(count: options.drawnDigits, seed: options.seed)
        if options.nonDigits > 0 { drawn = drawn.appending(nonDigits: NonDigits.images(count: options.nonDigits, seed: options.seed)) }
        return digits.appending(options.deskew ? drawn.deskewed() : drawn)
    }

    func run() throws {
        // A model that cannot be saved is known before training, not after.
        try AtomicFile.checkWritable(output)
        if checkpointEvery != nil { try AtomicFile.checkWritable(checkpointPath) }
        if let report { try reportOptions.checkWritable(html: report) }
        let directory = data.directory
        let options = training.options
        // With --deskew every image is deskewed once, here, and the model deskews what it reads.
        let all = options.deskew ? try directory.load(.train).deskewed() : try directory.load(.train)
        let test = options.deskew ? try directory.load(.test).deskewed() : try directory.load(.test)
        guard options.validation < all.count else {
            throw ValidationError("--validation \(options.validation) leaves no training images (the set has \(all.count))")
        }
        let digits = all.subset(0..<(all.count - options.validation))
        if options.drawnDigits > 0 && !json && !quiet {
            Console.line("drawing \(counted(options.drawnDigits, "digit")) (--drawn-digits: flagged 1s, barred 7s, open and closed 4s...)")
        }
        if options.nonDigits > 0 && !json && !quiet {
            Console.line("drawing \(counted(options.nonDigits, "picture")) that are no digit (--non-digits: letters, signs, a smiley), about 1.3 ms each")
        }
        let train = Self.training(digits, options)
        let validation = options.validation > 0 ? all.subset((all.count - options.validation)..<all.count) : nil
        let resumed = try resume.map { path throws -> Checkpoint in try CheckpointFile.load(path, options: options) }
        let trainer = Trainer(options: options)
        let chatty = !json && !quiet
        if chatty {
            Console.line("training \(Network.layerSizes(options.sizes))\(options.activation == .sigmoid ? "" : " \(options.activation.rawValue)")\(options.dropout > 0 ? " (dropout \(options.dropout))" : "") (\(options.rule.rawValue) rule, \(options.loss.rawValue), \(options.loss.outputLayer.rawValue) outputs) on \(counted(train.count, "image"))\(options.drawnDigits > 0 ? " (\(options.drawnDigits) of them drawn digits)" : "")\(options.nonDigits > 0 ? " (\(options.nonDigits) of them no digit)" : "") from \(directory.path)")
            if let validation { Console.line("  validation: the last \(counted(validation.count, "training image")), held out (--validation 0 trains on all)") }
            var details = "  \(counted(options.epochs, "epoch")), lr \(options.learningRate) (\(options.schedule.rawValue)"
            if options.warmup > 0 { details += ", \(counted(options.warmup, "warm-up epoch"))" }
            details += "), batch \(options.batchSize)"
            if options.momentum > 0 { details += ", \(options.nesterov ? "Nesterov " : "")momentum \(options.momentum)" }
            details += ", l2 \(options.l2), augment \(options.augment.rawValue), inputs \(options.inputs.rawValue), targets \(options.targets.rawValue), seed \(options.seed)"
            Console.line(details)
            if let resumed, let resume { Console.line("  resuming from \(resume) after epoch \(resumed.history.count)") }
        }
        let showProgress = chatty && Console.isInteractive
        var lastCheckpoint: (path: String, epoch: Int)?
        let interrupt = Interrupt()
        let started = monotonicSeconds()
        let run = try trainer.train(
            on: train, validation: validation, evaluateOn: test, resume: resumed,
            progress: { done, total in
                if showProgress { Console.progress("training", done: done, total: total) }
            },
            epochEnd: { report, state in
                if showProgress { Console.clearProgress() }
                if chatty { Console.line(Self.line(report, of: options.epochs)) }
                if let every = checkpointEvery, report.epoch % every == 0, report.epoch < options.epochs {
                    try CheckpointFile.save(state, options: options, to: checkpointPath)
                    lastCheckpoint = (checkpointPath, report.epoch)
                    if chatty { Console.line("  checkpoint saved to \(checkpointPath)") }
                }
            },
            shouldStop: { interrupt.isSet })
        if let seen = run.interruptedAfter {
            if showProgress { Console.clearProgress() }
            var message = "interrupted in epoch \(run.history.count + 1) after \(seen) of \(counted(train.count, "example")): no model saved"
            if let lastCheckpoint { message += "; continue from epoch \(lastCheckpoint.epoch) with --resume \(lastCheckpoint.path)" }
            Console.error(message)
            throw ExitCode(130)
        }
        if let diverged = run.diverged {
            if showProgress { Console.clearProgress() }
            Console.error("Error: training diverged in epoch \(diverged.epoch): the loss is \(diverged.loss) and the weights are no longer finite numbers; no model saved (\(output) is left as it was); try a smaller --lr than \(options.learningRate)")
            throw ExitCode(1)
        }
        let seconds = monotonicSeconds() - started
        let network = run.network
        let evaluation = Evaluation(network: network, inputs: options.inputs, data: test)
        let model = Self.calibrated(Model(network: network, inputs: options.inputs,
                                          metadata: Model.metadata(for: options, network: network, history: run.history,
                                                                   testAccuracy: evaluation.accuracy)), on: validation)
        try Safetensors.save(model, to: output)
        if evaluation.accuracy < 0.15 {
            Console.error("warning: the model reads \(percent(evaluation.accuracy)) of the test set, about chance (10%): training did not learn; try another --lr (now \(options.learningRate)) or more --epochs")
        }
        if json {
            let epochs = run.history.map { EpochRecord($0, withSeconds: true) }
            Console.line(encodedLine(TrainingJSON(model: output, seconds: seconds, epochs: epochs, evaluation: evaluation.figures)))
        } else if quiet {
            Console.line(evaluation.accuracyLine)
        } else {
            Console.line()
            Console.line("trained in \(fixed(seconds, 1)) s; model saved to \(output)")
            Console.line()
            Console.line(evaluation.report())
        }
        if let report {
            try reportOptions.write(model: model, modelSource: output, test: test,
                                    testSource: "the MNIST test set in \(directory.path)", to: report, trainingSeconds: seconds, announce: chatty)
        }
    }

    static func line(_ r: EpochReport, of total: Int) -> String {
        let width = String(total).count
        let epoch = String(repeating: " ", count: width - String(r.epoch).count) + String(r.epoch)
        let training = r.trainingAccuracy.map { "  train \(percent($0))" } ?? ""
        let validation = r.validationAccuracy.map { "  val \(percent($0))" } ?? ""
        return "epoch \(epoch)/\(total)  loss \(fixed(r.loss, 4))\(training)\(validation)  test \(percent(r.accuracy ?? 0))  \(fixed(r.seconds, 2)) s  \(Int(r.imagesPerSecond)) img/s"
    }
}


/// What `digits train --json` prints: where the model went, the time, each epoch's figures,
/// and the test set's evaluation.
struct TrainingJSON: Encodable {
    let model: String
    let seconds: Double
    let epochs: [EpochRecord]
    let evaluation: Evaluation.Figures
}

import ArgumentParser
import Foundation
import DigitsKit

/// Where MNIST is read from; shared by every command that reads it.
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: ArgumentHelp(
        "Folder holding the four MNIST files, gzip or not (default: $MNIST_DIR, else data/mnist).",
        valueName: "dir"))
    var path: String?

    var directory: MNISTDirectory { MNISTDirectory.resolve(option: path) }

    func validate() throws {
        if let path, path.isEmpty { throw ValidationError("--data needs a folder path") }
        let directory = self.directory
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isFolder), !isFolder.boolValue {
            let given = path != nil ? "--data \(directory.path)" : "\(directory.source.rawValue) \(directory.path)"
            throw ValidationError("\(given) is a file, not a folder: it should be the folder holding MNIST's four files")
        }
    }
}

/// Which model a command reads.
struct ModelOptions: ParsableArguments {
    @Option(name: .customLong("model"), help: ArgumentHelp(
        "Model file to read (default: for query, the reader model shipped with digits; for evaluate and report, \(ModelLocator.trainedPath), the one `make train` writes, else the doc-001 model shipped with digits).",
        valueName: "path"))
    var path: String?

    func validate() throws {
        if let path, path.isEmpty { throw ValidationError("--model needs a file path") }
    }

    func load(for purpose: ModelLocator.Purpose) throws -> (Model, ModelLocator.Choice) {
        try ModelLocator.load(path, for: purpose)
    }
}

extension Rule: ExpressibleByArgument {}
extension Loss: ExpressibleByArgument {}
extension Schedule: ExpressibleByArgument {}
extension Augmentation: ExpressibleByArgument {}
extension InputScaling: ExpressibleByArgument {}
extension TargetEncoding: ExpressibleByArgument {}
extension HiddenActivation: ExpressibleByArgument {}

/// `--hidden 300,100`: the hidden layers' sizes, input side first.
struct HiddenSizes: ExpressibleByArgument, Equatable {
    var sizes: [Int]

    init(_ sizes: [Int]) { self.sizes = sizes }

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty, parts.count <= 32 else { return nil }
        var sizes: [Int] = []
        for part in parts {
            guard let n = Int(part) else { return nil }
            sizes.append(n)
        }
        self.sizes = sizes
    }

    var defaultValueDescription: String { sizes.map(String.init).joined(separator: ",") }
}

/// How the network is built and trained. The numeric options parse their value
/// `.unconditional`ly, so that `--seed -1` or `--lr -1` is read as a (refused) number rather
/// than as an unknown option leaving "Missing value".
struct TrainingArguments: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Hidden layers' sizes, input side first: 100 is doc 001's 784-100-10, 300,100 is 784-300-100-10 (doc 004's network of any depth).", valueName: "n[,n…]"))
    var hidden = HiddenSizes([100])

    @Option(help: "Hidden layers' activation: sigmoid (the documents'), tanh or relu (the usual choice for deeper networks). Weights start from normal(0, n_next^−½) for sigmoid (doc 001), n_in^−½ for tanh, (2/n_in)^½ for relu.")
    var activation = HiddenActivation.sigmoid

    @Option(parsing: .unconditional, help: "Dropout on the hidden layers: each unit is dropped from an example's step with probability p and the kept ones scaled by 1/(1 − p); off at evaluation. Drawn from the seed, so runs stay bit-reproducible.")
    var dropout: Float = 0

    @Option(help: "Learning rule: exact (the true gradient, with biases) or classic (doc 001's update, no biases).")
    var rule = Rule.exact

    @Option(help: "Loss: mse (½Σ(o − t)², sigmoid outputs) or cross-entropy (softmax outputs).")
    var loss = Loss.mse

    @Option(parsing: .unconditional, help: "Passes over the training set.")
    var epochs = 30

    @Option(name: .customLong("lr"), parsing: .unconditional, help: "Learning rate α.")
    var learningRate: Float = 0.4

    @Option(help: "Learning-rate schedule: constant (doc 001), cosine or linear (from --lr down to 0 over the run), or step (÷10 at half-way and at three quarters).")
    var schedule = Schedule.cosine

    @Option(parsing: .unconditional, help: "Epochs of linear warm-up from 0 to --lr before the schedule.")
    var warmup = 0

    @Option(parsing: .unconditional, help: "Momentum μ: 0 is plain SGD; 0.9 is usual (every step then touches every weight).")
    var momentum: Float = 0

    @Flag(help: "Nesterov's momentum (looks ahead along the velocity) instead of classical.")
    var nesterov = false

    @Option(parsing: .unconditional, help: "Examples per gradient step: 1 is per-example SGD (doc 001); K > 1 averages K gradients (doc 000 §6).")
    var batchSize = 1

    @Option(parsing: .unconditional, help: "L2 weight decay λ on the weights, not the biases (doc 000 §6).")
    var l2: Float = 0

    @Option(parsing: .unconditional, help: "Threads for training's matrix products (mini-batches of any depth: each product's columns shared among them). The model is the same bit for bit whatever the count; doc 001's per-example run (batch 1, one sigmoid layer) stays on one.")
    var threads = 1

    @Option(parsing: .unconditional, help: "Seed of the initial weights and of the shuffling: the same seed and options give the same model, bit for bit.")
    var seed: UInt64 = 1

    @Option(help: "Input scaling: unit (x = p/255, blank pixels stay 0 and are skipped) or book (0.01 + 0.99·p/255, as doc 001's book).")
    var inputs = InputScaling.unit

    @Option(help: "Targets: onehot (1 for the digit, 0 elsewhere) or book (0.99 and 0.01).")
    var targets = TargetEncoding.onehot

    @Option(help: "Distort the training images anew every epoch: none, affine (rotation ±12°, scale ±10%, shear ±0.15, shift ±2 px), elastic (affine plus Simard's elastic field, σ 4, α 34), reader (people's digits after preprocessing: rotation and shear as affine, box 16–22 px, width ±15%, centre of mass ±1.5 px, thinner strokes, blur σ ≤ 1, tone γ 0.61–1.65, ink noise ±24), reader-thick (reader, strokes also thicker) or reader-elastic (reader plus the elastic field).")
    var augment = Augmentation.affine

    @Option(parsing: .unconditional, help: "Training images held out at the end of the training set to choose options on (0: train on all 60,000).")
    var validation = 10_000

    @Option(help: ArgumentHelp("A line of provenance stored in the model's metadata as `note` (e.g. what it was measured at elsewhere).", valueName: "text"))
    var note: String?

    @Flag(help: "Deskew every image (second-order moments, sheared upright, as in LeCun's MNIST table) in training and in reading.")
    var deskew = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Add N pictures that are no digit (letters, signs, doodles drawn by program) to the training images, trained toward no digit (a uniform softmax, or every sigmoid low), so that the model can say \"not a digit\".", valueName: "n"))
    var nonDigits = 0

    @Option(parsing: .unconditional, help: ArgumentHelp("Add N digits drawn by program (the styles MNIST's writers seldom used: a 1 with a flag or a base, a 7 with a bar, open and closed 4s...) to the training images.", valueName: "n"))
    var drawnDigits = 0

    func validate() throws {
        guard (0...50_000).contains(validation) else { throw ValidationError("--validation must be 0…50000, got \(validation)") }
        guard (0...100_000).contains(nonDigits) else { throw ValidationError("--non-digits must be 0…100000, got \(nonDigits)") }
        guard (0...100_000).contains(drawnDigits) else { throw ValidationError("--drawn-digits must be 0…100000, got \(drawnDigits)") }
        guard (1...15).contains(hidden.sizes.count) else { throw ValidationError("--hidden takes 1…15 layer sizes, got \(hidden.sizes.count)") }
        for n in hidden.sizes where !(1...10_000).contains(n) {
            throw ValidationError("--hidden sizes must be 1…10000 each, got \(n)")
        }
        guard dropout.isFinite, dropout >= 0, dropout <= 0.9 else { throw ValidationError("--dropout must be 0 ≤ p ≤ 0.9, got \(dropout)") }
        guard (1...10_000).contains(epochs) else { throw ValidationError("--epochs must be 1…10000, got \(epochs)") }
        guard learningRate.isFinite, learningRate > 0 else { throw ValidationError("--lr must be a positive number, got \(learningRate)") }
        guard (1...60_000).contains(batchSize) else { throw ValidationError("--batch-size must be 1…60000, got \(batchSize)") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be 1…64, got \(threads)") }
        guard (0..<epochs).contains(warmup) else { throw ValidationError("--warmup must be 0 or more and below --epochs, got \(warmup)") }
        guard momentum.isFinite, momentum >= 0, momentum < 1 else { throw ValidationError("--momentum must be 0 ≤ μ < 1, got \(momentum)") }
        if nesterov && momentum == 0 { throw ValidationError("--nesterov needs --momentum above 0") }
        guard l2.isFinite, l2 >= 0, l2 < 1 else { throw ValidationError("--l2 must be 0 ≤ λ < 1, got \(l2)") }
        if loss == .crossEntropy && targets == .book {
            // doc 003's δ = o − t is ∂J/∂z only when Σt = 1 (softmax's outputs sum to 1); the
            // book's targets sum to 1.08, and the step would not be the gradient.
            throw ValidationError("--targets book (0.99 and nine 0.01, which sum to 1.08) does not go with --loss cross-entropy, whose δ = o − t is the gradient only for targets that sum to 1: use --targets onehot")
        }
        if rule == .classic && loss == .crossEntropy {
            throw ValidationError("--rule classic is doc 001's rule for squared error; use --rule exact with --loss cross-entropy")
        }
    }

    var options: TrainingOptions {
        var o = TrainingOptions()
        o.hidden = hidden.sizes
        o.activation = activation
        o.dropout = dropout
        o.rule = rule
        o.loss = loss
        o.epochs = epochs
        o.learningRate = learningRate
        o.schedule = schedule
        o.warmup = warmup
        o.momentum = momentum
        o.nesterov = nesterov
        o.batchSize = batchSize
        o.threads = threads
        o.l2 = l2
        o.seed = seed
        o.inputs = inputs
        o.targets = targets
        o.validation = validation
        o.deskew = deskew
        o.nonDigits = nonDigits
        o.drawnDigits = drawnDigits
        o.note = note
        o.augment = augment
        return o
    }
}

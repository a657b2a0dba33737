import DigitsKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything that decides how a network is trained; with the seed, it decides the model bit
/// for bit.
public struct TrainingOptions: Sendable, Equatable {
    /// The hidden layers' sizes, input side first: doc 001's one layer of 100 by default.
    public var hidden = [100]
    /// What every hidden layer applies (doc 001: sigmoid).
    public var activation = HiddenActivation.sigmoid
    /// The probability p that a hidden unit is dropped from an example's step (0: no dropout).
    public var dropout: Float = 0
    public var rule = Rule.exact
    public var loss = Loss.mse
    public var epochs = 30
    public var learningRate: Float = 0.4
    public var schedule = Schedule.cosine
    /// Epochs of linear warm-up from 0 before the schedule.
    public var warmup = 0
    /// Momentum μ (0: plain SGD) and whether it is Nesterov's.
    public var momentum: Float = 0
    public var nesterov = false
    /// Distortions of the training images, new every epoch.
    public var augment = Augmentation.affine
    public var batchSize = 1
    /// Threads for the kernels' matrix products (the model does not depend on it).
    public var threads = 1
    public var l2: Float = 0
    public var seed: UInt64 = 1
    public var inputs = InputScaling.unit
    public var targets = TargetEncoding.onehot
    /// Training images held out, from the end of the training set, to choose options on.
    public var validation = 10_000
    /// Whether every image is deskewed before training and reading (`Deskew`).
    public var deskew = false
    /// Pictures that are no digit (`NonDigits`) added to the training images, trained toward
    /// no digit: what lets the model answer "not a digit" to a letter.
    public var nonDigits = 0
    /// Digits drawn by program (`DrawnDigits`) added to the training images, with their labels:
    /// the styles MNIST's writers seldom used (a flagged 1, a barred 7...).
    public var drawnDigits = 0
    /// A line of provenance for the model's metadata (`note`): not a training option.
    public var note: String?

    public init() {}

    /// Every layer's size: MNIST's pixels, the hidden layers, the ten digits.
    public var sizes: [Int] { [Dataset.pixelCount] + hidden + [10] }
}

/// What one epoch did.
public struct EpochReport: Sendable {
    public let epoch: Int
    /// Mean training loss over the epoch's examples (measured before each one's update).
    public let loss: Double
    /// Accuracy on the test set after the epoch, when one was given.
    public let accuracy: Double?
    /// Running accuracy on the epoch's (possibly distorted) training examples, each judged
    /// just before its own step, as frameworks report it during training.
    public let trainingAccuracy: Double?
    /// Accuracy on the validation split after the epoch, when there is one.
    public let validationAccuracy: Double?
    public let seconds: Double
    public var imagesPerSecond: Double { seconds > 0 ? Double(examples) / seconds : 0 }
    public let examples: Int

    public init(epoch: Int, loss: Double, accuracy: Double?, validationAccuracy: Double? = nil, trainingAccuracy: Double? = nil,
                seconds: Double, examples: Int) {
        self.epoch = epoch
        self.loss = loss
        self.accuracy = accuracy
        self.trainingAccuracy = trainingAccuracy
        self.validationAccuracy = validationAccuracy
        self.seconds = seconds
        self.examples = examples
    }
}

/// Trains the network of doc 001 over epochs: the order is reshuffled every epoch from the
/// seed, each example (or mini-batch) takes a gradient step, and the network is evaluated
/// after each epoch.
public struct Trainer: Sendable {
    public let options: TrainingOptions

    public init(options: TrainingOptions) {
        self.options = options
    }

    /// A fresh network for these options (doc 001's initialisation from the seed).
    public func initialNetwork() -> Network {
        Network(sizes: options.sizes, hiddenActivation: options.activation, outputLayer: options.loss.outputLayer, seed: options.seed)
    }

    /// The learning rate over the run.
    public var learningRate: LearningRate {
        LearningRate(base: options.learningRate, schedule: options.schedule, warmup: options.warmup, epochs: max(1, options.epochs))
    }

    /// The settings of epoch `epoch` (1-based): its learning rate runs from the schedule's value
    /// at the epoch's start to its value at the epoch's end.
    func settings(epoch: Int) -> StepSettings {
        let span = learningRate.span(ofEpoch: epoch)
        return StepSettings(
            learningRate: span.start,
            learningRateEnd: span.end,
            momentum: options.momentum, nesterov: options.nesterov,
            l2: options.l2, batchSize: options.batchSize,
                     rule: options.rule, loss: options.loss, inputTable: options.inputs.table,
                     targets: options.targets)
    }

    /// Trains for `options.epochs` epochs, from doc 001's initial network or from where a
    /// checkpoint left off (`resume`: the same result as a run that was never stopped).
    ///
    /// - `progress(done, total)` hears how far the current epoch is; `epochEnd` gets each
    ///   epoch's report and the state after it (to print, or to checkpoint — an error it
    ///   throws ends training); `shouldStop` is polled between steps and ends training at the
    ///   end of the current example or batch.
    public func train(on train: Dataset, validation: Dataset? = nil, evaluateOn test: Dataset?, resume: Checkpoint? = nil,
                      progress: (Int, Int) -> Void = { _, _ in },
                      epochEnd: (EpochReport, Checkpoint) throws -> Void = { _, _ in },
                      shouldStop: () -> Bool = { false }) rethrows -> TrainingRun {
        var network = resume?.network ?? initialNetwork()
        var history = resume?.history ?? []
        var (random, order) = shuffling(count: train.count, epochsDone: history.count)
        let kernels = KernelRun(network, batchSize: options.batchSize, momentum: options.momentum > 0, velocity: resume?.velocity, dropout: options.dropout,
                                seed: options.seed, threads: options.threads)
        let table = options.inputs.table
        let total = max(1, options.epochs)
        // Training accuracy is over the digits only (`Dataset.notADigit` pictures are no hit).
        let digitCount = train.labels.reduce(0) { $0 + ($1 < Dataset.notADigit ? 1 : 0) }
        var epoch = history.count + 1
        // Without augmentation the inputs are the same every epoch; with it, each epoch's
        // distorted images are made on another thread while the epoch before trains.
        let augmenter = options.augment == .none ? nil : Augmenter(kind: options.augment, seed: options.seed)
        let fixed = augmenter == nil ? SparseInputs(images: train.images, count: train.count, pixels: Dataset.pixelCount, table: table) : nil
        let boxes = augmenter == nil ? [] : Augmenter.inkBoxes(train.images)
        // Two sets take turns: the one the last epoch read is refilled for the next.
        func prepare(_ epoch: Int, reusing old: SparseInputs?) -> EpochPreparation? {
            guard let augmenter, epoch <= total else { return nil }
            return EpochPreparation(augmenter, images: train.images, boxes: boxes, epoch: epoch, table: table, reusing: old)
        }
        var next = prepare(epoch, reusing: nil)
        var finished: SparseInputs?
        while epoch <= total {
            // The epoch's time includes any wait for its distorted images.
            let start = monotonicSeconds()
            let inputs = next?.finish() ?? fixed!
            next = prepare(epoch + 1, reusing: finished)
            if augmenter != nil { finished = inputs }
            random.shuffle(&order)
            let (lossSum, hits, seen) = kernels.epoch(
                epoch, inputs: inputs, labels: train.labels, order: order, settings: settings(epoch: epoch),
                progress: { progress($0, order.count) }, shouldStop: shouldStop)
            let seconds = monotonicSeconds() - start
            if seen < order.count {
                return TrainingRun(network: network, history: history, interruptedAfter: seen)
            }
            kernels.store(into: &network)
            // A step too large makes the weights overflow: nothing after it can be saved.
            guard lossSum.isFinite, network.isFinite else {
                return TrainingRun(network: network, history: history, interruptedAfter: nil,
                                   diverged: Divergence(epoch: epoch, loss: lossSum / Double(max(seen, 1))))
            }
            let report = EpochReport(epoch: epoch, loss: lossSum / Double(max(seen, 1)), accuracy: accuracy(network, on: test),
                                     validationAccuracy: accuracy(network, on: validation),
                                     trainingAccuracy: Double(hits) / Double(max(digitCount, 1)), seconds: seconds, examples: seen)
            history.append(report)
            try epochEnd(report, Checkpoint(network: network, history: history, velocity: kernels.velocity(shapedAs: network)))
            epoch += 1
        }
        return TrainingRun(network: network, history: history, interruptedAfter: nil)
    }

    /// The shuffling stream and the order after `epochsDone` epochs. The stream is separate from
    /// the initialisation's, so changing one option that affects only one of them leaves the
    /// other the same; each epoch shuffles the previous order, so replaying the finished epochs'
    /// shuffles puts a resumed run exactly where the interrupted one was.
    private func shuffling(count: Int, epochsDone: Int) -> (Random, [Int32]) {
        var random = Random(seed: options.seed ^ 0x5DEE_CE66_D1CE_5EED)
        var order = (0..<Int32(count)).map { $0 }
        for _ in 0..<epochsDone { random.shuffle(&order) }
        return (random, order)
    }

    private func accuracy(_ network: Network, on data: Dataset?) -> Double? {
        data.map { Evaluation(network: network, inputs: options.inputs, data: $0).accuracy }
    }
}

/// What a training run ended with.
public struct TrainingRun: Sendable {
    /// The network after the last whole epoch (the partial epoch of an interruption is dropped).
    public let network: Network
    public let history: [EpochReport]
    /// When training was stopped early: how many examples of the unfinished epoch it had seen.
    public let interruptedAfter: Int?
    /// When the loss or a weight stopped being a finite number: training stopped there, and
    /// `network` is not worth saving.
    public var diverged: Divergence? = nil
}

/// The epoch in which training stopped being finite, and its mean loss (inf or nan, or finite
/// while a weight was not).
public struct Divergence: Sendable {
    public let epoch: Int
    public let loss: Double
}

/// A network part-way through training, and the epochs that made it.
public struct Checkpoint: Sendable {
    public let network: Network
    public let history: [EpochReport]
    /// Momentum's velocity of every parameter (same shapes as the network's), when it is used.
    public let velocity: Network?

    public init(network: Network, history: [EpochReport], velocity: Network? = nil) {
        self.network = network
        self.history = history
        self.velocity = velocity
    }
}

/// Seconds on a monotonic clock, for durations.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

import Foundation

/// A trained network with what is needed to use it (its input scaling) and the record of how
/// it was made (the metadata stored beside the weights).
public struct Model: Sendable, Equatable {
    /// Written into every model file and checked on load: the layout of this project's models.
    public static let format = "digits-model"
    /// The newest format version (`Safetensors.formatVersion(of:)` says which a network is written as).
    public static let formatVersion = "2"

    public var network: Network { didSet { packed = PackedModel(network) } }
    public var inputs: InputScaling
    /// Free-form facts about the model (options, accuracy); string to string, as safetensors keeps them.
    public var metadata: [String: String]
    /// Momentum's velocity for every parameter: only checkpoints of runs with momentum carry it.
    public var velocity: Network?
    /// `network` in the kernels' layout, packed once: what `predict` reads with.
    private(set) var packed: PackedModel

    public init(network: Network, inputs: InputScaling, metadata: [String: String] = [:], velocity: Network? = nil) {
        self.network = network
        self.inputs = inputs
        self.metadata = metadata
        self.velocity = velocity
        packed = PackedModel(network)
    }

    /// Equal when the parameters, scaling, metadata and velocity are (the packed copy follows the network).
    public static func == (a: Model, b: Model) -> Bool {
        a.network == b.network && a.inputs == b.inputs && a.metadata == b.metadata && a.velocity == b.velocity
    }

    /// The metadata of a trained model: architecture, every option that made it, the
    /// per-epoch history, and the test accuracy. Nothing that varies between runs (no times,
    /// no dates), so the same seed and options give the same file, bit for bit.
    public static func metadata(for options: TrainingOptions, network: Network, history: [EpochReport],
                                testAccuracy: Double?) -> [String: String] {
        var m = optionMetadata(options, network: network)
        m["command"] = command(options)
        m["data"] = "MNIST: \(options.validation > 0 ? "the first \(60_000 - options.validation) of the 60,000 training images, the last \(options.validation) held out for validation" : "all 60,000 training images"); test accuracy on its 10,000 test images"
            + (options.drawnDigits > 0 ? "; and \(options.drawnDigits) digits drawn from the seed (DrawnDigits: flagged 1s, barred 7s, open and closed 4s...)" : "")
            + (options.nonDigits > 0 ? "; and \(options.nonDigits) pictures that are no digit (NonDigits: letters, signs and doodles drawn from the seed)" : "")
        if let note = options.note { m["note"] = note }
        m["epochs"] = String(history.count)
        m["history"] = historyJSON(history)
        if let testAccuracy { m["test_accuracy"] = fixed(testAccuracy, 4) }
        return m
    }

    /// The option keys `optionMetadata` writes only when the option is on.
    static let optionalOptionKeys = ["deskew", "non_digits", "drawn_digits", "dropout"]

    /// The options as metadata: what a checkpoint must agree with to be resumed.
    public static func optionMetadata(_ options: TrainingOptions, network: Network) -> [String: String] {
        // Written only when on, so that models made without it keep their bytes.
        (options.deskew ? ["deskew": "true"] : [:]).merging(options.nonDigits > 0 ? ["non_digits": String(options.nonDigits)] : [:]) { a, _ in a }
            .merging(options.drawnDigits > 0 ? ["drawn_digits": String(options.drawnDigits)] : [:]) { a, _ in a }
            .merging(options.dropout > 0 ? ["dropout": String(options.dropout)] : [:]) { a, _ in a }.merging([
            "architecture": network.layerSizes,
            "hidden_activation": options.activation.rawValue,
            "output_activation": network.outputLayer.rawValue,
            "loss": options.loss.rawValue,
            "rule": options.rule.rawValue,
            "learning_rate": String(options.learningRate),
            "schedule": options.schedule.rawValue,
            "warmup": String(options.warmup),
            "momentum": String(options.momentum),
            "nesterov": String(options.nesterov),
            "augment": options.augment.rawValue,
            "batch_size": String(options.batchSize),
            "l2": String(options.l2),
            "seed": String(options.seed),
            "input_scaling": options.inputs.rawValue,
            "target_encoding": options.targets.rawValue,
            "validation": String(options.validation),
        ]) { a, _ in a }
    }

    /// The `digits train` command that makes this model again, every option spelled out (the
    /// data folder and output path apart, which name places, not choices).
    static func command(_ o: TrainingOptions) -> String {
        var parts = ["digits train", "--hidden \(o.hidden.map(String.init).joined(separator: ","))"]
        if o.activation != .sigmoid { parts.append("--activation \(o.activation.rawValue)") }
        if o.dropout > 0 { parts.append("--dropout \(o.dropout)") }
        parts += ["--rule \(o.rule.rawValue)", "--loss \(o.loss.rawValue)",
                     "--epochs \(o.epochs)", "--lr \(o.learningRate)", "--schedule \(o.schedule.rawValue)", "--warmup \(o.warmup)",
                     "--momentum \(o.momentum)"]
        if o.nesterov { parts.append("--nesterov") }
        parts += ["--batch-size \(o.batchSize)", "--l2 \(o.l2)", "--augment \(o.augment.rawValue)", "--validation \(o.validation)",
                  "--seed \(o.seed)", "--inputs \(o.inputs.rawValue)", "--targets \(o.targets.rawValue)"]
        if o.deskew { parts.append("--deskew") }
        if o.nonDigits > 0 { parts.append("--non-digits \(o.nonDigits)") }
        if o.drawnDigits > 0 { parts.append("--drawn-digits \(o.drawnDigits)") }
        return parts.joined(separator: " ")
    }

    /// Whether the model was trained on deskewed images, and so deskews what it reads.
    public var deskews: Bool { metadata["deskew"] == "true" }

    /// What the network is, for a person choosing between models: `784-100-10, sigmoid, mse`
    /// (layer sizes, output layer, loss). Read from the weights themselves, the loss from the
    /// metadata only when it names one this project knows, so a stranger's file cannot put
    /// arbitrary text here.
    public var architecture: String {
        let n = network
        var parts = [n.layerSizes] + (n.hiddenActivation == .sigmoid ? [] : [n.hiddenActivation.rawValue]) + [n.outputLayer.rawValue]
        if let loss = metadata["loss"].flatMap(Loss.init(rawValue:)) { parts.append(loss.rawValue) }
        return parts.joined(separator: ", ")
    }

    /// `[{"accuracy":0.959,"epoch":1,"loss":0.059123,"training_accuracy":0.9412}, …]`: each
    /// epoch's `EpochRecord` without its time, through the encoder.
    static func historyJSON(_ history: [EpochReport]) -> String {
        encodedLine(history.map { EpochRecord($0, withSeconds: false) })
    }

    /// What a person needs to know about the model in one line: its architecture and whether
    /// its probabilities are calibrated.
    public var summary: String {
        let c = calibration
        let calibrated = c.fitted ? "probabilities calibrated on the validation split (T \(fixed(Double(c.temperature), 3)))"
                                  : "probabilities not calibrated (no validation split)"
        return "\(architecture), \(calibrated)"
    }

    /// The per-epoch history stored in the metadata (times are not stored: 0). The metadata is
    /// foreign text: an entry whose epoch is not 1…100,000, whose loss is not a finite number
    /// from 0 to 10⁶, or whose accuracies are not fractions 0…1, is left out.
    public var history: [EpochReport] {
        guard let text = metadata["history"], let data = text.data(using: .utf8),
              let entries = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        func number(_ value: Any?, in range: ClosedRange<Double>) -> Double?? {
            guard let value else { return .some(nil) }
            guard let x = (value as? NSNumber)?.doubleValue, x.isFinite, range.contains(x) else { return nil }
            return .some(x)
        }
        return entries.compactMap { e in
            guard let epoch = number(e["epoch"], in: 1...100_000), let epoch, epoch == epoch.rounded(),
                  let loss = number(e["loss"], in: 0...1e6), let loss,
                  let accuracy = number(e["accuracy"], in: 0...1), let validation = number(e["validation_accuracy"], in: 0...1),
                  let training = number(e["training_accuracy"], in: 0...1) else { return nil }
            return EpochReport(epoch: Int(epoch), loss: loss, accuracy: accuracy, validationAccuracy: validation,
                               trainingAccuracy: training, seconds: 0, examples: 0)
        }
    }
}

/// A trained network with what is needed to use it (its input scaling) and the record of how
/// it was made (the metadata stored beside the weights).
public struct Model: Sendable, Equatable {
    /// Written into every model file and checked on load: the layout of this project's models.
    public static let format = "digits-model"
    public static let formatVersion = "1"

    public var network: Network
    public var inputs: InputScaling
    /// Free-form facts about the model (options, accuracy); string to string, as safetensors keeps them.
    public var metadata: [String: String]

    public init(network: Network, inputs: InputScaling, metadata: [String: String] = [:]) {
        self.network = network
        self.inputs = inputs
        self.metadata = metadata
    }

    /// The metadata of a freshly trained model: architecture and every option that made it.
    public static func metadata(for options: TrainingOptions, network: Network, epochsRun: Int, testAccuracy: Double?) -> [String: String] {
        var m: [String: String] = [
            "architecture": "\(network.inputCount)-\(network.hiddenCount)-\(network.outputCount)",
            "hidden_activation": "sigmoid",
            "output_activation": network.outputLayer.rawValue,
            "loss": options.loss.rawValue,
            "rule": options.rule.rawValue,
            "epochs": String(epochsRun),
            "learning_rate": String(options.learningRate),
            "schedule": options.schedule.rawValue,
            "batch_size": String(options.batchSize),
            "l2": String(options.l2),
            "seed": String(options.seed),
            "input_scaling": options.inputs.rawValue,
            "target_encoding": options.targets.rawValue,
        ]
        if let testAccuracy { m["test_accuracy"] = fixed(testAccuracy, 4) }
        return m
    }
}

/// Why a checkpoint cannot be resumed.
public enum CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    case model(ModelError)
    case notACheckpoint(path: String)
    case mismatch(path: String, key: String, checkpoint: String, run: String)
    case finished(path: String, epochs: Int)

    public var description: String {
        switch self {
        case .model(let error):
            return error.description
        case .notACheckpoint(let path):
            return "\(path): not a checkpoint (no planned_epochs in its metadata; checkpoints are written by --checkpoint-every)"
        case .mismatch(let path, let key, let checkpoint, let run):
            return "\(path): the checkpoint was made with \(key) \(checkpoint), this run has \(run): give the same options to resume"
        case .finished(let path, let epochs):
            return "\(path): the checkpoint already holds the whole run (\(counted(epochs, "epoch"))): nothing to resume"
        }
    }
}

/// Checkpoints: model files with the planned number of epochs and the history so far, written
/// atomically every N epochs, from which a run continues with the same result as one that was
/// never stopped.
public enum CheckpointFile {
    public static func save(_ checkpoint: Checkpoint, options: TrainingOptions, to path: String) throws(WriteError) {
        var metadata = Model.metadata(for: options, network: checkpoint.network, history: checkpoint.history, testAccuracy: nil)
        metadata["planned_epochs"] = String(options.epochs)
        try Safetensors.save(Model(network: checkpoint.network, inputs: options.inputs, metadata: metadata,
                                   velocity: checkpoint.velocity), to: path)
    }

    /// Loads a checkpoint and checks that it was made with `options`.
    public static func load(_ path: String, options: TrainingOptions) throws(CheckpointError) -> Checkpoint {
        let model: Model
        do { model = try Safetensors.load(path) } catch { throw .model(error) }
        guard model.metadata["planned_epochs"] != nil else { throw .notACheckpoint(path: path) }
        var expected = Model.optionMetadata(options, network: model.network)
        expected["architecture"] = Network.layerSizes(options.sizes)
        expected["output_activation"] = options.loss.outputLayer.rawValue
        expected["planned_epochs"] = String(options.epochs)
        for key in expected.keys.sorted() where model.metadata[key] != expected[key] {
            throw .mismatch(path: path, key: key, checkpoint: model.metadata[key] ?? "(none)", run: expected[key]!)
        }
        // Options written only when on (so that models made without them keep their bytes):
        // on in the checkpoint and off in this run is a mismatch too.
        for key in Model.optionalOptionKeys where expected[key] == nil && model.metadata[key] != nil {
            throw .mismatch(path: path, key: key, checkpoint: model.metadata[key]!, run: "(none)")
        }
        let history = model.history
        guard history.count == Int(model.metadata["epochs"] ?? "") else { throw .notACheckpoint(path: path) }
        if history.count >= options.epochs { throw .finished(path: path, epochs: options.epochs) }
        if options.momentum > 0 && model.velocity == nil { throw .notACheckpoint(path: path) }
        return Checkpoint(network: model.network, history: history, velocity: model.velocity)
    }
}

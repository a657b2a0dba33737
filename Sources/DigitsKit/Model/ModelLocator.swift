import DigitsResources
import Foundation

/// Which model a command uses: the one named; else, for reading people's digits (`query`, the
/// server), the reader model shipped with `digits`; for judging a training (`evaluate`,
/// `report`), the one `make train` writes, else the doc-001 model shipped with `digits`.
public enum ModelLocator {
    /// Where `digits train` and `make train` save by default.
    public static let trainedPath = "models/digits.safetensors"

    public enum Purpose: Sendable {
        case reading, judging
    }

    public enum Choice: Sendable, Equatable {
        case given(String)
        case trained(String)
        case embedded(String)
        case embeddedReader(String)

        public var path: String {
            switch self { case .given(let p), .trained(let p), .embedded(let p), .embeddedReader(let p): p }
        }

        /// How reports and the server name the model: its path, or what the embedded one is.
        public var source: String {
            switch self {
            case .given(let p), .trained(let p): p
            case .embedded: "the doc-001 model shipped with digits"
            case .embeddedReader: "the reader model shipped with digits"
            }
        }
    }

    /// The model to read, or nil when there is none at all.
    public static func choose(_ given: String?, for purpose: Purpose) -> Choice? {
        if let given { return .given(given) }
        switch purpose {
        case .reading:
            return (DefaultModel.readerPath.map(Choice.embeddedReader)) ?? DefaultModel.path.map(Choice.embedded)
        case .judging:
            if FileManager.default.fileExists(atPath: trainedPath) { return .trained(trainedPath) }
            return DefaultModel.path.map(Choice.embedded)
        }
    }

    public static func load(_ given: String?, for purpose: Purpose) throws(ModelError) -> (Model, Choice) {
        guard let choice = choose(given, for: purpose) else {
            // Copied away from its build folder, the binary has lost the resource folder beside it.
            let beside = "the shipped models are not beside this binary (the folder digits_DigitsResources.resources of its build folder was not copied with it)"
            switch purpose {
            case .reading: throw .unreadable(path: "(no model)", reason: "\(beside): pass --model PATH")
            case .judging: throw .unreadable(path: trainedPath, reason: "no such file, and \(beside): run `make train`, or pass --model PATH")
            }
        }
        return (try Safetensors.load(choice.path), choice)
    }
}

import DigitsResources
import Foundation

/// Which model a command uses: the one named, else the one `make train` writes, else the one
/// shipped with `digits`.
public enum ModelLocator {
    /// Where `digits train` and `make train` save by default.
    public static let trainedPath = "models/digits.safetensors"

    public enum Choice: Sendable, Equatable {
        case given(String)
        case trained(String)
        case embedded(String)

        public var path: String {
            switch self { case .given(let p), .trained(let p), .embedded(let p): p }
        }

        /// How reports and the server name the model: its path, or what the embedded one is.
        public var source: String {
            switch self {
            case .given(let p), .trained(let p): p
            case .embedded: "the model shipped with digits"
            }
        }
    }

    /// The model to read, or nil when there is none at all.
    public static func choose(_ given: String?) -> Choice? {
        if let given { return .given(given) }
        if FileManager.default.fileExists(atPath: trainedPath) { return .trained(trainedPath) }
        return DefaultModel.path.map(Choice.embedded)
    }

    public static func load(_ given: String?) throws(ModelError) -> (Model, Choice) {
        guard let choice = choose(given) else {
            throw .unreadable(path: trainedPath, reason: "no such file, and this build has no embedded model (run `make train`, or pass --model)")
        }
        return (try Safetensors.load(choice.path), choice)
    }
}

/// Why a model file was refused. Each case names the file and what was wrong with it.
public enum ModelError: Error, Equatable, Sendable {
    case unreadable(path: String, reason: String)
    case tooSmall(path: String, size: Int)
    case headerTooLarge(path: String, declared: UInt64, available: Int)
    case invalidHeader(path: String, reason: String)
    case missingTensor(path: String, name: String)
    case unexpectedTensor(path: String, name: String)
    case wrongDtype(path: String, name: String, found: String)
    case wrongShape(path: String, name: String, expected: String, found: [Int])
    case badOffsets(path: String, name: String, reason: String)
    case notFinite(path: String, name: String, index: Int)
    case badMetadata(path: String, key: String, value: String, expected: String)
}

extension ModelError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot read the model: \(reason)"
        case .tooSmall(let path, let size):
            return "\(path): not a model file: \(counted(size, "byte")), expected a safetensors file (8-byte header length, JSON header, weights)"
        case .headerTooLarge(let path, let declared, let available):
            return "\(path): corrupt model: header length \(declared) bytes, more than the \(counted(available, "byte")) after it"
        case .invalidHeader(let path, let reason):
            return "\(path): corrupt model header: \(reason)"
        case .missingTensor(let path, let name):
            return "\(path): model has no tensor \(name) (expected W_ih, W_ho and optionally b_h, b_o; or W_1 … W_L and b_1 … b_L)"
        case .unexpectedTensor(let path, let name):
            return "\(path): model has an unexpected tensor \(name) (expected W_ih, W_ho, b_h, b_o; or W_1 … W_L and b_1 … b_L)"
        case .wrongDtype(let path, let name, let found):
            return "\(path): tensor \(name) has dtype \(found), expected F32"
        case .wrongShape(let path, let name, let expected, let found):
            return "\(path): tensor \(name) has shape \(found), expected \(expected)"
        case .badOffsets(let path, let name, let reason):
            return "\(path): tensor \(name) has bad data offsets: \(reason)"
        case .notFinite(let path, let name, let index):
            return "\(path): tensor \(name) holds a non-finite value (NaN or infinity) at element \(index)"
        case .badMetadata(let path, let key, let value, let expected):
            return "\(path): metadata \(key) is \"\(value)\", expected \(expected)"
        }
    }
}

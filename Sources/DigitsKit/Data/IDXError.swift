/// Why an IDX file (or a pair of them) was refused.
///
/// Every case carries the file it is about and, where there is one, what was expected and what
/// was found, so that the one-line message is enough to act on.
public enum IDXError: Error, Equatable, Sendable {
    case missing(path: String)
    case unreadable(path: String, reason: String)
    case empty(path: String)
    case badMagic(path: String, expected: UInt32, found: UInt32)
    case badElementType(path: String, found: UInt8)
    case zeroDimension(path: String, index: Int, dimensions: [Int])
    case tooLarge(path: String, dimensions: [Int], limit: Int)
    case truncatedHeader(path: String, expected: Int, found: Int)
    case truncated(path: String, expected: Int, found: Int)
    case trailingBytes(path: String, expected: Int, extra: Int, atLeast: Bool)
    case corruptGzip(path: String, reason: String)
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    case labelOutOfRange(path: String, index: Int, label: UInt8)
    case wrongImageSize(path: String, rows: Int, cols: Int)

    /// The file the error is about (the images file for a count mismatch).
    public var path: String {
        switch self {
        case .missing(let p), .unreadable(let p, _), .empty(let p), .badMagic(let p, _, _),
            .badElementType(let p, _), .zeroDimension(let p, _, _), .tooLarge(let p, _, _),
            .truncatedHeader(let p, _, _), .truncated(let p, _, _), .trailingBytes(let p, _, _, _), .corruptGzip(let p, _),
            .labelOutOfRange(let p, _, _), .wrongImageSize(let p, _, _):
            return p
        case .countMismatch(let images, _, _, _):
            return images
        }
    }
}

extension IDXError: CustomStringConvertible {
    public var description: String {
        func hex(_ v: UInt32) -> String {
            let s = String(v, radix: 16)
            return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
        }
        func shape(_ dims: [Int]) -> String { dims.map(String.init).joined(separator: " × ") }
        switch self {
        case .missing(let path):
            return "\(path): no such file (run `digits data fetch`, or set --data / MNIST_DIR)"
        case .unreadable(let path, let reason):
            return "\(path): cannot read the file: \(reason)"
        case .empty(let path):
            return "\(path): the file is empty (expected an IDX file, 0 bytes found)"
        case .badMagic(let path, let expected, let found):
            return "\(path): bad magic number: expected \(hex(expected)), found \(hex(found)) (not an IDX file of this kind)"
        case .badElementType(let path, let found):
            return "\(path): bad element type: expected 0x08 (unsigned byte), found 0x\(String(found, radix: 16))"
        case .zeroDimension(let path, let index, let dims):
            return "\(path): dimension \(index + 1) is zero (header declares \(shape(dims)))"
        case .tooLarge(let path, let dims, let limit):
            let bytes = dims.reduce(1.0) { $0 * Double($1) }
            return "\(path): header declares \(shape(dims)) = \(formatBytes(bytes)), over the \(formatBytes(Double(limit))) limit"
        case .truncatedHeader(let path, let expected, let found):
            return "\(path): truncated header: expected \(expected) bytes, found \(found)"
        case .truncated(let path, let expected, let found):
            return "\(path): truncated: expected \(counted(expected, "byte")) of data, found \(found)"
        case .trailingBytes(let path, let expected, let extra, let atLeast):
            return "\(path): \(atLeast ? "at least " : "")\(counted(extra, "trailing byte")) after the \(expected) bytes the header declares"
        case .corruptGzip(let path, let reason):
            return "\(path): corrupt gzip data: \(reason)"
        case .countMismatch(let images, let imageCount, let labels, let labelCount):
            return "\(images): \(counted(imageCount, "image")), but \(labels) has \(counted(labelCount, "label")) (expected the same count)"
        case .labelOutOfRange(let path, let index, let label):
            return "\(path): label \(label) at index \(index) is above 9 (expected a digit 0…9)"
        case .wrongImageSize(let path, let rows, let cols):
            return "\(path): images are \(rows) × \(cols), expected 28 × 28"
        }
    }
}

/// Bytes in the largest binary unit that keeps the number at or above 1 (1 GiB, 4 GiB, 12 KiB).
func formatBytes(_ bytes: Double) -> String {
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"]
    var value = bytes
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
        value /= 1024
        unit += 1
    }
    if unit == 0 { return counted(Int(value), "byte") }
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? "\(Int(rounded)) \(units[unit])" : "\(rounded) \(units[unit])"
}

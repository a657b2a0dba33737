/// Why an image a person gave could not be read. Each case names the file (and the line or
/// value for CSV) and what was expected.
public enum InputError: Error, Equatable, Sendable {
    case unreadable(path: String, reason: String)
    case empty(path: String)
    case tooLarge(path: String, bytes: Int, limit: Int)
    case unrecognised(path: String)
    case wrongValueCount(path: String, line: Int, found: Int)
    case notANumber(path: String, line: Int, column: Int, text: String)
    case outOfRange(path: String, line: Int, column: Int, value: Double)
    case badLabel(path: String, line: Int, text: String)
    case badPNG(path: String, reason: String)
    case pngTooLarge(path: String, width: Int, height: Int, limit: Int)
    case badImage(path: String, format: String, reason: String)
    case imageTooLarge(path: String, format: String, width: Int, height: Int, limit: Int)
    case notMNISTSize(path: String, width: Int, height: Int)
    case blank(path: String)
    case notAPicture(path: String)
    case notARow(path: String, pieces: Int, limit: Int)
    case moreBadLines(path: String, count: Int)
}

extension InputError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .empty(let path):
            return "\(path): empty file (expected CSV of 784 or 785 values per line, or a PNG or JPEG image)"
        case .tooLarge(let path, let bytes, let limit):
            return "\(path): \(bytes) bytes, over the \(limit)-byte limit for an input file"
        case .unrecognised(let path):
            return "\(path): neither CSV, PNG nor JPEG (no PNG or JPEG signature, and not text)"
        case .wrongValueCount(let path, let line, let found):
            return "\(path): line \(line): \(found) values, expected 784 (28×28 pixels) or 785 (label first)"
        case .notANumber(let path, let line, let column, let text):
            let shown = text.count > 20 ? String(text.prefix(20)) + "…" : text
            return "\(path): line \(line), value \(column): \"\(shown)\" is not a number (expected a pixel intensity 0–255)"
        case .outOfRange(let path, let line, let column, let value):
            return "\(path): line \(line), value \(column): \(value) is outside 0–255"
        case .badLabel(let path, let line, let text):
            let shown = text.count > 20 ? String(text.prefix(20)) + "…" : text
            return "\(path): line \(line): label \"\(shown)\" is not a digit 0–9"
        case .badPNG(let path, let reason):
            return "\(path): unreadable PNG: \(reason)"
        case .pngTooLarge(let path, let width, let height, let limit):
            return "\(path): PNG declares \(width) × \(height) pixels, over the \(limit) × \(limit) limit"
        case .badImage(let path, let format, let reason):
            return "\(path): unreadable \(format): \(reason)"
        case .imageTooLarge(let path, let format, let width, let height, let limit):
            return "\(path): \(format) declares \(width) × \(height) pixels, over the \(limit) × \(limit) limit"
        case .notMNISTSize(let path, let width, let height):
            return "\(path): --raw needs a 28 × 28 image, this one is \(width) × \(height)"
        case .notARow(let path, let pieces, let limit):
            return "\(path): \(pieces) separate pieces of ink, more than the \(limit) digits a row is read as (noise or text, not a number)"
        case .notAPicture(let path):
            return "\(path): not a PNG or JPEG picture (a row of digits is read from a picture, not from CSV)"
        case .moreBadLines(let path, let count):
            return "\(path): \(count) more bad lines, not listed"
        case .blank(let path):
            return "\(path): the image is blank (no ink found to read)"
        }
    }
}

/// Images as CSV text: per line, 784 pixel intensities 0–255 in row-major 28×28 order, or 785
/// with the label first (the common `mnist_train.csv` layout). Integers or decimals; spaces,
/// tabs, `\r\n` and blank lines are tolerated, and a header line of names is skipped.
public enum CSVImage {
    /// One image read from a line: its 784 intensities, and its label when the line had one.
    public struct Row: Sendable, Equatable {
        public let line: Int
        public let pixels: [Float]
        public let label: Int?
    }

    /// Parses every line; a bad line is an error of its own and does not stop the others.
    public static func parse(_ bytes: [UInt8], path: String) -> [Result<Row, InputError>] {
        var results: [Result<Row, InputError>] = []
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            lineNumber += 1
            if let row = parseLine(bytes[start..<end], number: lineNumber, path: path) { results.append(row) }
            start = end + 1
        }
        return results
    }

    private static func isSpace(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r")
    }

    /// One line's image, nil for a blank line or the header.
    private static func parseLine(_ line: ArraySlice<UInt8>, number: Int, path: String) -> Result<Row, InputError>? {
        var fields: [ArraySlice<UInt8>] = []
        var fieldStart = line.startIndex
        for i in line.indices where line[i] == UInt8(ascii: ",") {
            fields.append(trim(line[fieldStart..<i]))
            fieldStart = i + 1
        }
        fields.append(trim(line[fieldStart..<line.endIndex]))
        if fields.count == 1 && fields[0].isEmpty { return nil }
        // A trailing comma leaves one empty field at the end: tolerated.
        if fields.count > 1, fields.last!.isEmpty { fields.removeLast() }
        guard fields.count == 784 || fields.count == 785 else {
            return .failure(.wrongValueCount(path: path, line: number, found: fields.count))
        }
        // The header of a CSV export ("label,1x1,1x2,…"): names, not numbers.
        if number == 1, decimal(fields[0]) == nil, fields.allSatisfy({ decimal($0) == nil }) { return nil }
        var label: Int?
        var first = 0
        if fields.count == 785 {
            let text = String(decoding: fields[0], as: UTF8.self)
            guard let value = decimal(fields[0]), value.isFinite, value == value.rounded(), (0...9).contains(value) else {
                return .failure(.badLabel(path: path, line: number, text: text))
            }
            label = Int(value)
            first = 1
        }
        var pixels = [Float]()
        pixels.reserveCapacity(784)
        for (offset, field) in fields[first...].enumerated() {
            let column = first + offset + 1
            guard let value = decimal(field), value.isFinite else {
                return .failure(.notANumber(path: path, line: number, column: column, text: String(decoding: field, as: UTF8.self)))
            }
            guard value >= 0 && value <= 255 else {
                return .failure(.outOfRange(path: path, line: number, column: column, value: value))
            }
            pixels.append(Float(value))
        }
        return .success(Row(line: number, pixels: pixels, label: label))
    }

    private static func trim(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var lo = s.startIndex, hi = s.endIndex
        while lo < hi && isSpace(s[lo]) { lo += 1 }
        while hi > lo && isSpace(s[hi - 1]) { hi -= 1 }
        return s[lo..<hi]
    }

    /// A decimal number (digits, one point, an exponent): no hex, no "nan" or "inf" spellings.
    private static func decimal(_ field: ArraySlice<UInt8>) -> Double? {
        guard !field.isEmpty, field.count <= 64 else { return nil }
        for b in field {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "+"),
                 UInt8(ascii: "e"), UInt8(ascii: "E"):
                continue
            default:
                return nil
            }
        }
        return Double(String(decoding: field, as: UTF8.self))
    }

    /// One image as a CSV line: the label first unless nil, then 784 integers.
    public static func line(pixels: [UInt8], label: Int?) -> String {
        ((label.map { [String($0)] } ?? []) + pixels.map(String.init)).joined(separator: ",")
    }
}

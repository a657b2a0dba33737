/// Images as CSV text: per line, 784 pixel intensities 0–255 in row-major 28×28 order, or 785
/// with the label first (the common `mnist_train.csv` layout). Integers or decimals, bare or in
/// double quotes; spaces, tabs, `\r\n`, blank lines and a UTF-8 byte order mark are
/// tolerated, and a header line of names is skipped.
public enum CSVImage {
    /// One image read from a line: its 784 intensities, and its label when the line had one.
    public struct Row: Sendable, Equatable {
        public let line: Int
        public let pixels: [Float]
        public let label: Int?
    }

    /// Bad lines reported one by one; past this many, the rest are counted in one error.
    static let reportedBadLines = 100

    /// Parses every line; a bad line is an error of its own and does not stop the others. A
    /// UTF-8 byte order mark at the start is skipped. Memory is the rows' pixels and at most
    /// 785 fields of one line at a time, however long a line is.
    public static func parse(_ bytes: [UInt8], path: String) -> [Result<Row, InputError>] {
        var results: [Result<Row, InputError>] = []
        var (lineNumber, badLines) = (0, 0)
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            lineNumber += 1
            switch parseLine(bytes[start..<end], number: lineNumber, path: path) {
            case .failure(let error)?:
                badLines += 1
                if badLines <= reportedBadLines { results.append(.failure(error)) }
            case let row?: results.append(row)
            case nil: break
            }
            start = end + 1
        }
        if badLines > reportedBadLines {
            results.append(.failure(.moreBadLines(path: path, count: badLines - reportedBadLines)))
        }
        return results
    }

    private static func isLetter(_ b: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b | 0x20)
    }

    private static func isSpace(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r")
    }

    /// One line's image, nil for a blank line or the header. The fields are counted first, with
    /// no copy, so a line of millions of commas is refused without holding its fields.
    private static func parseLine(_ line: ArraySlice<UInt8>, number: Int, path: String) -> Result<Row, InputError>? {
        let line = trim(line)
        if line.isEmpty { return nil }
        var count = 1
        for b in line where b == UInt8(ascii: ",") { count += 1 }
        // A trailing comma leaves one empty field at the end: tolerated.
        if count > 1, line.last == UInt8(ascii: ",") { count -= 1 }
        guard count == 784 || count == 785 else {
            return .failure(.wrongValueCount(path: path, line: number, found: count))
        }
        var fields: [ArraySlice<UInt8>] = []
        fields.reserveCapacity(count)
        var fieldStart = line.startIndex
        for i in line.indices where line[i] == UInt8(ascii: ",") && fields.count < count {
            fields.append(unquoted(trim(line[fieldStart..<i])))
            fieldStart = i + 1
        }
        if fields.count < count { fields.append(unquoted(trim(line[fieldStart..<line.endIndex]))) }
        // The header of a CSV export ("label,1x1,1x2,…"): names, not numbers, each with a
        // letter (a line of over-long numbers or of quoted ones is a bad line, not a header).
        if number == 1, fields.allSatisfy({ decimal($0) == nil && $0.contains(where: isLetter) }) { return nil }
        return row(fields, number: number, path: path)
    }

    /// The label (with 785 fields) and the 784 intensities of a line's fields.
    private static func row(_ fields: [ArraySlice<UInt8>], number: Int, path: String) -> Result<Row, InputError> {
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

    /// A field in double quotes (as spreadsheets export numbers) without them: `"12"` is 12.
    private static func unquoted(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard s.count >= 2, s.first == UInt8(ascii: "\""), s.last == UInt8(ascii: "\"") else { return s }
        return trim(s.dropFirst().dropLast())
    }

    /// A decimal number (digits, one point, an exponent): no hex, no "nan" or "inf" spellings.
    private static func decimal(_ field: ArraySlice<UInt8>) -> Double? {
        guard !field.isEmpty, field.count <= 64 else { return nil }
        // Whole numbers of a few digits, nearly every field of a CSV image: read directly,
        // without making a String of each (what a request's parse time went on).
        if field.count <= 9, field.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            return Double(field.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) })
        }
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

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
    /// UTF-8 byte order mark at the start (or several) is skipped. Memory is the rows' pixels and at most
    /// 785 field boundaries of one line at a time, however long a line is. Fields are ranges
    /// into one `Span` of the bytes: no copy, and no reference counting per field (which was
    /// most of a request's parse time on the server).
    public static func parse(_ bytes: [UInt8], path: String) -> [Result<Row, InputError>] {
        let text = bytes.span
        var results: [Result<Row, InputError>] = []
        var (lineNumber, badLines) = (0, 0)
        var start = 0
        // Byte order marks (an editor that adds one to a file that had one makes two).
        while bytes[start...].starts(with: [0xEF, 0xBB, 0xBF]) { start += 3 }
        var fields: [Range<Int>] = []
        fields.reserveCapacity(785)
        while start < text.count {
            var end = start
            while end < text.count && text[end] != UInt8(ascii: "\n") { end += 1 }
            lineNumber += 1
            switch parseLine(text, start..<end, number: lineNumber, path: path, fields: &fields) {
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

    /// One line's image, nil for a blank line or the header. The fields are counted first, so a
    /// line of millions of commas is refused before its fields are marked; `fields` is scratch
    /// space for their ranges, reused from line to line.
    private static func parseLine(_ text: Span<UInt8>, _ whole: Range<Int>, number: Int, path: String,
                                  fields: inout [Range<Int>]) -> Result<Row, InputError>? {
        let line = trim(text, whole)
        if line.isEmpty { return nil }
        if let (label, pixels) = integerLine(text, line) { return .success(Row(line: number, pixels: pixels, label: label)) }
        var count = 1
        for i in line where text[i] == UInt8(ascii: ",") { count += 1 }
        // A trailing comma leaves one empty field at the end: tolerated.
        if count > 1, text[line.upperBound - 1] == UInt8(ascii: ",") { count -= 1 }
        guard count == 784 || count == 785 else {
            return .failure(.wrongValueCount(path: path, line: number, found: count))
        }
        fields.removeAll(keepingCapacity: true)
        var fieldStart = line.lowerBound
        for i in line where text[i] == UInt8(ascii: ",") && fields.count < count {
            fields.append(unquoted(text, trim(text, fieldStart..<i)))
            fieldStart = i + 1
        }
        if fields.count < count { fields.append(unquoted(text, trim(text, fieldStart..<line.upperBound))) }
        // The header of a CSV export ("label,1x1,1x2,…"): names, not numbers, each with a
        // letter (a line of over-long numbers or of quoted ones is a bad line, not a header).
        if number == 1, fields.allSatisfy({ decimal(text, $0) == nil && $0.contains { isLetter(text[$0]) } }) { return nil }
        return row(text, fields, number: number, path: path)
    }

    /// The usual line, 784 integers 0…255 (or 785 with a label 0…9 first) separated by bare
    /// commas, read in one pass; nil for anything else (spaces, quotes, decimals, a header, a
    /// bad value), which the general path reads or reports.
    private static func integerLine(_ text: Span<UInt8>, _ line: Range<Int>) -> (label: Int?, pixels: [Float])? {
        var values = [Float]()
        values.reserveCapacity(785)
        var (value, digits) = (0, 0)
        for i in line {
            let byte = text[i]
            let digit = byte &- UInt8(ascii: "0")
            if digit <= 9 {
                guard digits < 3 else { return nil }
                (value, digits) = (value * 10 + Int(digit), digits + 1)
            } else if byte == UInt8(ascii: ","), digits > 0, value <= 255, values.count < 785 {
                values.append(Float(value))
                (value, digits) = (0, 0)
            } else {
                return nil
            }
        }
        guard digits > 0, value <= 255 else { return nil }
        values.append(Float(value))
        if values.count == 784 { return (nil, values) }
        guard values.count == 785, values[0] <= 9 else { return nil }
        let label = Int(values.removeFirst())
        return (label, values)
    }

    /// The label (with 785 fields) and the 784 intensities of a line's fields.
    private static func row(_ text: Span<UInt8>, _ fields: [Range<Int>], number: Int, path: String) -> Result<Row, InputError> {
        // A message shows a field's first 20 characters: at most 84 bytes are copied for it,
        // however long the field (a 200 MB field is not copied twice to be named), cut where a
        // character starts, and "…" says when something was left out.
        func string(_ field: Range<Int>) -> String {
            guard field.count > 84 else { return Self.string(text, field) }
            var end = field.lowerBound + 84
            while end > field.lowerBound && text[end] & 0xC0 == 0x80 { end -= 1 }
            return Self.string(text, field.lowerBound..<end) + "…"
        }
        var label: Int?
        var first = 0
        if fields.count == 785 {
            guard let value = decimal(text, fields[0]), value.isFinite, value == value.rounded(), (0...9).contains(value) else {
                return .failure(.badLabel(path: path, line: number, text: string(fields[0])))
            }
            label = Int(value)
            first = 1
        }
        var pixels = [Float]()
        pixels.reserveCapacity(784)
        for index in first..<fields.count {
            let column = index + 1
            guard let value = decimal(text, fields[index]), value.isFinite else {
                return .failure(.notANumber(path: path, line: number, column: column, text: string(fields[index])))
            }
            guard value >= 0 && value <= 255 else {
                return .failure(.outOfRange(path: path, line: number, column: column, value: value))
            }
            pixels.append(Float(value))
        }
        return .success(Row(line: number, pixels: pixels, label: label))
    }

    private static func trim(_ text: Span<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var (lo, hi) = (range.lowerBound, range.upperBound)
        while lo < hi && isSpace(text[lo]) { lo += 1 }
        while hi > lo && isSpace(text[hi - 1]) { hi -= 1 }
        return lo..<hi
    }

    /// A field in double quotes (as spreadsheets export numbers) without them: `"12"` is 12.
    private static func unquoted(_ text: Span<UInt8>, _ field: Range<Int>) -> Range<Int> {
        guard field.count >= 2, text[field.lowerBound] == UInt8(ascii: "\""), text[field.upperBound - 1] == UInt8(ascii: "\"") else {
            return field
        }
        return trim(text, (field.lowerBound + 1)..<(field.upperBound - 1))
    }

    /// A decimal number (digits, one point, an exponent): no hex, no "nan" or "inf" spellings.
    private static func decimal(_ text: Span<UInt8>, _ field: Range<Int>) -> Double? {
        guard !field.isEmpty, field.count <= 64 else { return nil }
        // Whole numbers of a few digits, nearly every field of a CSV image: read directly,
        // without making a String of each.
        if field.count <= 9 {
            var value = 0
            var allDigits = true
            for i in field {
                let digit = text[i] &- UInt8(ascii: "0")
                if digit > 9 { allDigits = false; break }
                value = value * 10 + Int(digit)
            }
            if allDigits { return Double(value) }
        }
        for i in field {
            switch text[i] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "+"),
                 UInt8(ascii: "e"), UInt8(ascii: "E"):
                continue
            default:
                return nil
            }
        }
        return Double(string(text, field))
    }

    /// The bytes of `range` as text (invalid UTF-8 repaired).
    private static func string(_ text: Span<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: range.map { text[$0] }, as: UTF8.self)
    }

    /// One image as a CSV line: the label first unless nil, then 784 integers.
    public static func line(pixels: [UInt8], label: Int?) -> String {
        ((label.map { [String($0)] } ?? []) + pixels.map(String.init)).joined(separator: ",")
    }
}

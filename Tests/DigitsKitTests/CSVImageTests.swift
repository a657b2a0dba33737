import Testing
@testable import DigitsKit

@Suite("CSV images")
struct CSVImageTests {
    static let pixels = (0..<784).map { ($0 * 13) % 256 }
    static var line: String { pixels.map(String.init).joined(separator: ",") }

    private func parse(_ text: String) -> [Result<CSVImage.Row, InputError>] {
        CSVImage.parse(Array(text.utf8), path: "in.csv")
    }

    private func only(_ text: String) throws -> CSVImage.Row {
        let rows = parse(text)
        #expect(rows.count == 1)
        return try rows[0].get()
    }

    @Test func reads784ValuesAnd785WithTheLabelFirst() throws {
        #expect(try only(Self.line + "\n") == CSVImage.Row(line: 1, pixels: Self.pixels.map(Float.init), label: nil))
        #expect(try only("7," + Self.line).label == 7)
        #expect(try only("7," + Self.line).pixels == Self.pixels.map(Float.init))
    }

    @Test func toleratesWhitespaceDecimalsCRLFAndATrailingComma() throws {
        let spaced = Self.pixels.map { " \($0).0 " }.joined(separator: ",\t") + ",\r\n\n"
        #expect(try only(spaced).pixels == Self.pixels.map(Float.init))
        #expect(try only(Self.line.replacingOccurrences(of: "13,", with: "12.5,")).pixels[1] == 12.5)
    }

    @Test func severalLinesAreSeveralImagesAndAHeaderIsSkipped() throws {
        let header = "label," + (0..<784).map { "pixel\($0)" }.joined(separator: ",")
        let rows = parse(header + "\n3," + Self.line + "\n\n4," + Self.line + "\n")
        #expect(rows.count == 2)
        #expect(try rows[0].get().line == 2 && rows[0].get().label == 3)
        #expect(try rows[1].get().line == 4 && rows[1].get().label == 4)
    }

    @Test func refusesWrongCounts() {
        let short = Self.pixels.dropLast().map(String.init).joined(separator: ",")
        #expect(throws: InputError.wrongValueCount(path: "in.csv", line: 1, found: 783)) { try only(short) }
        #expect(throws: InputError.wrongValueCount(path: "in.csv", line: 1, found: 786)) { try only("1,2," + Self.line) }
    }

    @Test func refusesValuesThatAreNotPixelIntensities() {
        func with(_ value: String) -> String { value + "," + Self.pixels.dropFirst().map(String.init).joined(separator: ",") }
        #expect(throws: InputError.notANumber(path: "in.csv", line: 1, column: 1, text: "NaN")) { try only(with("NaN")) }
        #expect(throws: InputError.notANumber(path: "in.csv", line: 1, column: 1, text: "1e999")) { try only(with("1e999")) }
        #expect(throws: InputError.notANumber(path: "in.csv", line: 1, column: 1, text: "abc")) { try only(with("abc")) }
        #expect(throws: InputError.outOfRange(path: "in.csv", line: 1, column: 1, value: -1)) { try only(with("-1")) }
        #expect(throws: InputError.outOfRange(path: "in.csv", line: 1, column: 1, value: 256)) { try only(with("256")) }
        #expect(throws: InputError.badLabel(path: "in.csv", line: 1, text: "12")) { try only("12," + Self.line) }
    }

    @Test func aBadLineDoesNotStopTheOthers() throws {
        let rows = parse(Self.line + "\n1,2,3\n" + Self.line)
        #expect(rows.count == 3)
        #expect((try? rows[1].get()) == nil)
        #expect(try rows[2].get().line == 3)
    }

    @Test func aTenMegabyteLineIsRefusedQuickly() {
        let huge = String(repeating: "255,", count: 2_600_000)
        #expect(throws: InputError.wrongValueCount(path: "in.csv", line: 1, found: 2_600_000)) { try only(huge) }
    }

    @Test func writesWhatItReads() throws {
        let bytes = Self.pixels.map(UInt8.init)
        #expect(try only(CSVImage.line(pixels: bytes, label: 5)) == CSVImage.Row(line: 1, pixels: bytes.map(Float.init), label: 5))
    }
}

/// CSV as spreadsheets and hostile senders write it.
@Suite("CSV: byte order marks, quotes, huge lines")
struct CSVEdgeTests {
    static let values = (0..<784).map { String($0 % 256) }

    @Test func aByteOrderMarkIsSkipped() throws {
        let rows = CSVImage.parse([0xEF, 0xBB, 0xBF] + Array(("7," + Self.values.joined(separator: ",")).utf8), path: "bom.csv")
        let row = try #require(try rows.first?.get())
        #expect(rows.count == 1 && row.label == 7 && row.pixels[5] == 5)
    }

    /// Bare integers take a one-pass path; a space after each comma sends the same values
    /// through the general one. Both must read the same rows, and refuse the same bad lines.
    @Test func theIntegerFastPathReadsWhatTheGeneralPathReads() {
        var random = Random(seed: 784)
        for trial in 0..<50 {
            var values = (0..<784).map { _ in String(Int.random(in: 0...255, using: &random)) }
            if trial % 3 == 0 { values.insert(String(Int.random(in: 0...9, using: &random)), at: 0) }
            if trial % 7 == 0 { values[Int.random(in: 0..<values.count, using: &random)] = ["256", "1000", "-1", "12a"][trial % 4] }
            if trial % 11 == 0 { values[0] = "0" + values[0] }
            let fast = CSVImage.parse(Array(values.joined(separator: ",").utf8), path: "f.csv")
            let general = CSVImage.parse(Array(values.joined(separator: ", ").utf8), path: "f.csv")
            #expect(fast == general, "trial \(trial)")
        }
    }

    /// A long field is copied only in part to be named, cut where a character starts, with "…".
    @Test func aLongBadFieldIsNamedByItsStartAndAnEllipsis() {
        let flag = "\u{1F1EB}\u{1F1F7}"  // 🇫🇷: two scalars, 8 bytes
        let label = "a" + String(repeating: flag, count: 11)  // 89 bytes
        let rows = CSVImage.parse(Array((label + "," + Self.values.joined(separator: ",")).utf8), path: "f.csv")
        #expect(rows == [.failure(.badLabel(path: "f.csv", line: 1, text: "a" + String(repeating: flag, count: 10) + "…"))])
    }

    @Test func twoByteOrderMarksAreSkippedToo() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let rows = CSVImage.parse(bom + bom + Array(("4," + Self.values.joined(separator: ",")).utf8), path: "bom2.csv")
        let row = try #require(try rows.first?.get())
        #expect(rows.count == 1 && row.label == 4 && row.pixels[783] == Float(783 % 256))
        #expect(CSVImage.parse(bom + bom, path: "bom2.csv").isEmpty)
    }

    @Test func numbersInDoubleQuotesAreRead() throws {
        let quoted = "\"3\"," + Self.values.map { "\"\($0)\"" }.joined(separator: ", ")
        let row = try #require(try CSVImage.parse(Array(quoted.utf8), path: "q.csv").first?.get())
        #expect(row.label == 3 && row.pixels[783] == Float(783 % 256))
        let half = Array(("\"3," + Self.values.joined(separator: ",")).utf8)
        #expect(CSVImage.parse(half, path: "q.csv").first == .failure(.badLabel(path: "q.csv", line: 1, text: "\"3")))
    }

    /// A line no field of which is a number is a header only when its fields are names: over-long
    /// or single-quoted numbers are a bad line, said as such (not "empty file").
    @Test func overLongOrSingleQuotedNumbersAreABadLineNotAHeader() {
        for (field, shown) in [(String(repeating: "0", count: 65), String(repeating: "0", count: 65)), ("'0'", "'0'")] {
            let line = Array(([String](repeating: field, count: 784)).joined(separator: ",").utf8)
            #expect(CSVImage.parse(line, path: "x.csv") == [.failure(.notANumber(path: "x.csv", line: 1, column: 1, text: shown))])
        }
        let header = Array((["label"] + (1...784).map { "px\($0)" }).joined(separator: ",").utf8)
        #expect(CSVImage.parse(header, path: "h.csv").isEmpty)
    }

    @Test func aLineOfMillionsOfCommasIsCountedNotSplit() {
        let line = [UInt8](repeating: UInt8(ascii: ","), count: 2_000_000) + [UInt8(ascii: "1")]
        #expect(CSVImage.parse(line, path: "c.csv") == [.failure(.wrongValueCount(path: "c.csv", line: 1, found: 2_000_001))])
    }

    @Test func pastAHundredBadLinesTheRestAreCountedInOneError() {
        let text = Array(String(repeating: "1,2\n", count: 250).utf8)
        let results = CSVImage.parse(text, path: "bad.csv")
        #expect(results.count == CSVImage.reportedBadLines + 1)
        #expect(results.first == .failure(.wrongValueCount(path: "bad.csv", line: 1, found: 2)))
        #expect(results.last == .failure(.moreBadLines(path: "bad.csv", count: 150)))
    }
}

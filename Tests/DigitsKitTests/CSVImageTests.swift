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

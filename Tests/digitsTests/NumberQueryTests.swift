import DigitsKit
import Foundation
import Testing

/// `digits query --number` on rows of digits made from the shipped samples, through the binary.
@Suite("digits query --number")
struct NumberQueryTests {
    /// The sample pictures (dark ink on light paper), each as gray.
    static func sample(_ name: String) throws -> GrayImage {
        try ImageInput.picture(SamplesTests.folder + "/" + name + ".png")
    }

    /// `digits` pasted side by side on white paper, `gap` pixels apart, each lifted by `lift`.
    static func row(_ digits: [GrayImage], gap: Int = 30, lift: [Int] = []) -> GrayImage {
        let height = (digits.map(\.height).max() ?? 0) + 40
        let width = digits.reduce(gap) { $0 + $1.width + gap }
        var pixels = [UInt8](repeating: 250, count: width * height)
        var x0 = gap
        for (n, d) in digits.enumerated() {
            let y0 = 20 + (n < lift.count ? lift[n] : 0)
            for y in 0..<d.height where y + y0 < height {
                for x in 0..<d.width { pixels[(y + y0) * width + x0 + x] = min(pixels[(y + y0) * width + x0 + x], d[x, y]) }
            }
            x0 += d.width + gap
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    static func run(_ image: GrayImage, _ extra: [String] = []) throws -> (status: Int32, stdout: String, stderr: String) {
        let path = Fixture.folder() + "/row.png"
        Fixture.write(PNGImage.encode(image), to: path)
        let r = try Binary.run(["query", "--number"] + extra + [path], in: Fixture.folder())
        return (r.status, r.stdout, r.stderr)
    }

    @Test func readsARowLeftToRight() throws {
        let (seven, three) = (try Self.sample("seven"), try Self.sample("three"))
        let result = try Self.run(Self.row([seven, three, three, seven], lift: [0, 10, -8, 4]), ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(object["number"] as? String == "7337", "\(result.stdout)")
        let boxes = (object["digits"] as! [[String: Any]]).map { $0["box"] as! [Int] }
        #expect(boxes.count == 4 && zip(boxes, boxes.dropFirst()).allSatisfy { $0[2] < $1[0] }, "boxes left to right: \(boxes)")
        // Another order, another number: the order comes from the picture, not from chance.
        let reordered = try Self.run(Self.row([three, seven, seven, seven]), ["--json"])
        #expect(reordered.stdout.contains("\"number\":\"3777\""), "\(reordered.stdout)")
        let swapped = try Self.run(Self.row([three, seven]))
        #expect(swapped.stdout.hasPrefix("model: ") && swapped.stdout.contains("number: 37\n"), "\(swapped.stdout)")
    }

    @Test func aDigitInTwoPiecesIsOneDigit() throws {
        // A seven whose bar is cut from its stem by a blank column: two pieces, one digit.
        var seven = try Self.sample("seven")
        var pixels = seven.pixels
        let stemTop = (0..<seven.height).first { y in (0..<seven.width).contains { seven[$0, y] < 128 } }! + 14
        for x in 0..<seven.width { for y in stemTop..<(stemTop + 4) { pixels[y * seven.width + x] = 250 } }
        seven = GrayImage(width: seven.width, height: seven.height, pixels: pixels)
        let result = try Self.run(Self.row([try Self.sample("three"), seven]), ["--json"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect((object["digits"] as! [Any]).count == 2, "\(result.stdout)")
    }

    @Test func aRowOnARuledLineIsStillSplit() throws {
        let (seven, three) = (try Self.sample("seven"), try Self.sample("three"))
        var row = Self.row([seven, three, seven])
        // A ruled line under the digits, across the whole picture.
        var pixels = row.pixels
        let y = row.height - 25
        for x in 0..<row.width { for dy in 0..<2 { pixels[(y + dy) * row.width + x] = 120 } }
        row = GrayImage(width: row.width, height: row.height, pixels: pixels)
        let result = try Self.run(row, ["--json"])
        #expect(result.stdout.contains("\"number\":\"737\""), "\(result.stdout)")
    }

    @Test func specksAreNoDigitsAndNoiseIsNoRow() throws {
        var row = Self.row([try Self.sample("seven"), try Self.sample("three")])
        var pixels = row.pixels
        // A dot between the digits and a speck of one pixel: neither is a digit.
        for y in 60..<64 { for x in 188..<192 { pixels[y * row.width + x] = 20 } }
        pixels[10 * row.width + 10] = 0
        row = GrayImage(width: row.width, height: row.height, pixels: pixels)
        let result = try Self.run(row, ["--json"])
        #expect(result.stdout.contains("\"number\":\"73\""), "\(result.stdout)")
        // Sixty blobs in a row: too many pieces, refused in one line rather than read as a number.
        let blobs = GrayImage(width: 400, height: 120, pixels: (0..<48_000).map { i in
            let (x, y) = (i % 400, i / 400)
            return (y >= 55 && y < 60 && x >= 10 && x < 370 && x % 6 < 4) ? 0 : 240
        })
        let refused = try Self.run(blobs)
        #expect(refused.status == 1 && refused.stderr.contains("separate pieces of ink, more than the 40 digits"), "\(refused.stderr)")
    }

    @Test func blankAndCSVAreAnsweredClearly() throws {
        let blank = try Self.run(GrayImage(width: 300, height: 100, pixels: [UInt8](repeating: 240, count: 30_000)))
        #expect(blank.status == 0 && blank.stdout.contains("number: none (no ink)"), "\(blank.stdout)")
        let csv = Fixture.folder() + "/x.csv"
        Fixture.write(Array(([String](repeating: "0", count: 784).joined(separator: ",") + "\n").utf8), to: csv)
        let r = try Binary.run(["query", "--number", csv], in: Fixture.folder())
        #expect(r.status == 1 && r.stderr.contains("not a PNG or JPEG picture"), "\(r.stderr)")
    }
}

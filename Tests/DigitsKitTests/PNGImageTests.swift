import Testing
@testable import DigitsKit

@Suite("PNG")
struct PNGImageTests {
    static let formats: [(Drawing.Kind, Int, Bool)] = [
        (.gray, 1, false), (.gray, 2, false), (.gray, 4, false), (.gray, 8, false), (.gray, 16, false),
        (.grayAlpha, 8, false), (.grayAlpha, 16, false), (.rgb, 8, false), (.rgb, 16, false),
        (.rgba, 8, false), (.rgba, 16, false), (.palette, 1, false), (.palette, 2, false), (.palette, 4, false),
        (.palette, 8, false), (.gray, 8, true), (.rgb, 16, true), (.palette, 1, true), (.gray, 16, true), (.rgb, 8, true), (.rgba, 16, true),
    ]

    @Test(arguments: 0..<formats.count)
    func decodesEveryColourTypeAndDepth(index: Int) throws {
        let (kind, depth, interlace) = Self.formats[index]
        let drawing = Drawing.digit()  // black on white: exact at every depth
        let png = Drawing.png(drawing, kind: kind, depth: depth, interlace: interlace)
        #expect(PNGImage.isPNG(png))
        let decoded = try PNGImage.decode(png, path: "fixture.png")
        let differing = zip(decoded.pixels, drawing.pixels).filter { $0 != $1 }.count
        #expect(decoded.width == drawing.width && decoded.height == drawing.height)
        #expect(differing == 0, "\(kind) \(depth)-bit\(interlace ? " interlaced" : ""): \(differing) pixels decoded differently")
    }

    @Test func compositesAlphaOntoTheBackgroundTheInkIsNot() throws {
        let shape = Drawing.digit(ink: 255, paper: 0)  // 255 where the stroke is
        // Black ink on a transparent canvas: the canvas becomes white paper.
        let black = GrayImage(width: shape.width, height: shape.height, pixels: [UInt8](repeating: 0, count: shape.pixels.count))
        let dark = try PNGImage.decode(Drawing.png(black, kind: .grayAlpha, depth: 8, alpha: shape.pixels), path: "a.png")
        #expect(dark.pixels == shape.pixels.map { 255 - $0 })
        // White ink on a transparent canvas: the canvas becomes black.
        let white = GrayImage(width: shape.width, height: shape.height, pixels: [UInt8](repeating: 255, count: shape.pixels.count))
        let light = try PNGImage.decode(Drawing.png(white, kind: .rgba, depth: 8, alpha: shape.pixels), path: "b.png")
        #expect(light.pixels == shape.pixels)
    }

    @Test func encodeRoundTrips() throws {
        let image = Drawing.digit(width: 28, height: 28, ink: 200, paper: 10, centre: (14, 12), radius: 8)
        #expect(try PNGImage.decode(PNGImage.encode(image), path: "x") == image)
    }

    private func expectBad(_ bytes: [UInt8], _ matches: (InputError) -> Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let image = try PNGImage.decode(bytes, path: "bad.png")
            Issue.record("accepted a bad PNG as \(image.width)×\(image.height)", sourceLocation: sourceLocation)
        } catch {
            #expect(matches(error), "unexpected: \(error)", sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix("bad.png: "), sourceLocation: sourceLocation)
        }
    }

    @Test func rejectsBrokenFiles() {
        let good = Drawing.png(Drawing.digit(), kind: .gray, depth: 8)
        expectBad(PNGImage.signature) { if case .badPNG = $0 { true } else { false } }
        expectBad(Array(good.prefix(good.count / 2))) { if case .badPNG = $0 { true } else { false } }  // truncated IDAT
        var badCRC = good
        badCRC[30] ^= 0xff  // IHDR's CRC
        expectBad(badCRC) { if case .badPNG = $0 { true } else { false } }
        expectBad(Drawing.withSize(good, width: 0, height: 50)) { if case .badPNG = $0 { true } else { false } }
    }

    @Test func refusesHugeDeclaredSizesBeforeAllocating() {
        let good = Drawing.png(Drawing.digit(), kind: .gray, depth: 8)
        let huge = Drawing.withSize(good, width: 100_000, height: 100_000)
        expectBad(huge) { $0 == .pngTooLarge(path: "bad.png", width: 100_000, height: 100_000, limit: 10_000) }
    }
}

import Testing
@testable import DigitsKit

@Suite("MNIST preprocessing")
struct PreprocessTests {
    static let cases: [(String, GrayImage)] = [
        ("dark ink on white, off-centre", Drawing.digit()),
        ("light ink on black", Drawing.digit(ink: 255, paper: 0)),
        ("gray ink on gray paper", Drawing.digit(ink: 60, paper: 200)),
        ("large photo-sized canvas, digit in a corner", Drawing.digit(width: 1200, height: 900, centre: (200, 150), radius: 90)),
        ("tiny digit", Drawing.digit(width: 12, height: 12, centre: (6, 5), radius: 4)),
        ("wide glyph", GrayImage(width: 80, height: 30, pixels: (0..<2400).map { ($0 / 80 > 10 && $0 / 80 < 16 && $0 % 80 > 5 && $0 % 80 < 70) ? 0 : 255 })),
    ]

    @Test(arguments: 0..<cases.count)
    func centresByMassAndFitsTwentyByTwenty(index: Int) throws {
        let (name, image) = Self.cases[index]
        let pixels = try Preprocess.mnist(image, path: "x.png")
        #expect(pixels.count == 784)
        let g = Drawing.geometry(pixels)
        #expect(abs(g.cx - 14) <= 0.5 && abs(g.cy - 14) <= 0.5, "\(name): centre of mass at (\(g.cx), \(g.cy))")
        #expect(g.width <= 21 && g.height <= 21, "\(name): ink box \(g.width)×\(g.height)")  // 20 plus anti-aliased edges
        #expect(max(g.width, g.height) >= 19, "\(name): not scaled up to the 20-pixel box")
        #expect(pixels.max() == 255)
        // The background is black: the corners carry no ink.
        #expect(pixels[0] == 0 && pixels[27] == 0 && pixels[783] == 0)
    }

    @Test func blankImagesAreRefused() {
        let blank = GrayImage(width: 10, height: 10, pixels: [UInt8](repeating: 255, count: 100))
        #expect(throws: InputError.blank(path: "b.png")) { try Preprocess.mnist(blank, path: "b.png") }
    }

    @Test func rawTakesTwentyEightSquareAsItIs() throws {
        let image = Drawing.digit(width: 28, height: 28, ink: 255, paper: 0, centre: (14, 12), radius: 8)
        #expect(try Preprocess.raw(image, path: "r.png") == image.pixels.map(Float.init))
        #expect(Preprocess.isMNISTStyle(image))
        #expect(!Preprocess.isMNISTStyle(Drawing.digit(width: 28, height: 28, centre: (14, 12), radius: 8)))
        #expect(throws: InputError.notMNISTSize(path: "r.png", width: 60, height: 50)) { try Preprocess.raw(Drawing.digit(), path: "r.png") }
    }
}

import Testing
@testable import DigitsKit
import DigitsResources

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
        // Pixel 14's centre is 14.5 in the continuous coordinates `geometry` measures in.
        #expect(abs(g.cx - 14.5) <= 0.5 && abs(g.cy - 14.5) <= 0.5, "\(name): centre of mass at (\(g.cx), \(g.cy))")
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
        #expect(throws: InputError.notMNISTSize(path: "r.png", width: 60, height: 50)) { try Preprocess.raw(Drawing.digit(), path: "r.png") }
    }
}

@Suite("Preprocessing of photos and of MNIST's own digits")
struct PhotoPreprocessTests {
    /// The clean reference: dark ink on even white paper.
    static let clean = Drawing.digit(width: 120, height: 100, centre: (55, 45), radius: 26)

    /// Mean absolute difference between two 28×28 results (0…255), each blurred by a 3×3 box
    /// first, so that a stroke drawn half a pixel thicker does not count as a different digit.
    static func distance(_ a: [Float], _ b: [Float]) -> Float {
        func blurred(_ p: [Float]) -> [Float] {
            (0..<784).map { i in
                let (x, y) = (i % 28, i / 28)
                var sum: Float = 0
                for ny in max(0, y - 1)...min(27, y + 1) { for nx in max(0, x - 1)...min(27, x + 1) { sum += p[ny * 28 + nx] } }
                return sum / 9
            }
        }
        return zip(blurred(a), blurred(b)).reduce(0) { $0 + abs($1.0 - $1.1) } / Float(a.count)
    }

    /// `clean` with `change(x, y, value)` applied to every pixel.
    static func altered(_ change: (Int, Int, Double) -> Double) -> GrayImage {
        var pixels = clean.pixels
        for y in 0..<clean.height {
            for x in 0..<clean.width {
                pixels[y * clean.width + x] = UInt8(max(0, min(255, change(x, y, Double(clean[x, y])).rounded())))
            }
        }
        return GrayImage(width: clean.width, height: clean.height, pixels: pixels)
    }

    static let photos: [(String, GrayImage)] = {
        var random = Random(seed: 7)
        return [
            // A lamp at one side: the paper goes from 250 to 120, the ink with it.
            ("uneven light", altered { x, _, v in v * (1 - 0.5 * Double(x) / 120) }),
            ("dim photo, grey ink", altered { _, _, v in 90 + v * 0.35 }),
            ("sensor noise (σ 8 grey levels)", altered { _, _, v in v + random.normal(sd: 8) }),
            ("ruled line", altered { _, y, v in (y == 20 || y == 21) ? min(v, 110) : v }),
            ("squared paper", altered { x, y, v in (x % 30 == 3 || y % 30 == 3) ? min(v, 150) : v }),
            ("a neighbour's sliver at the left", altered { x, y, v in (x < 4 && y > 30 && y < 70) ? 0 : v }),
            ("the page edge at the bottom", altered { _, y, v in y > 92 ? 40 : v }),
        ]
    }()

    /// The clean digit moved by `pixels` to the right: the yardstick of "a different reading".
    static func cleanShifted(by pixels: Int) throws -> [Float] {
        let reference = try Preprocess.mnist(clean, path: "clean.png")
        var shifted = [Float](repeating: 0, count: 784)
        for y in 0..<28 { for x in pixels..<28 { shifted[y * 28 + x] = reference[y * 28 + x - pixels] } }
        return shifted
    }

    @Test(arguments: 0..<photos.count)
    func photoConditionsGiveTheCleanDigitWithinAPixel(index: Int) throws {
        let (name, photo) = Self.photos[index]
        let reference = try Preprocess.mnist(Self.clean, path: "clean.png")
        let onePixel = Self.distance(reference, try Self.cleanShifted(by: 1))
        let read = try Preprocess.mnist(photo, path: "photo.png")
        let d = Self.distance(reference, read)
        #expect(d < onePixel, "\(name): differs from the clean digit by \(d) per pixel, more than a one-pixel shift (\(onePixel))")
    }

    @Test(arguments: 0..<PreprocessTests.cases.count)
    func normalisingTwiceChangesNothing(index: Int) throws {
        let once = try Preprocess.mnist(PreprocessTests.cases[index].1, path: "x.png")
        let image = GrayImage(width: 28, height: 28, pixels: once.map { UInt8($0) })
        #expect(try Preprocess.mnist(image, path: "x.png") == once)
        #expect(Preprocess.isMNISTConvention(once))
    }

    @Test func aBlankPhotoOfPaperHasNoDigit() {
        var random = Random(seed: 3)
        let paper = GrayImage(width: 90, height: 70, pixels: (0..<6300).map { i in
            UInt8(max(0, min(255, 200 + 40 * Double(i % 90) / 90 + random.normal(sd: 4))))
        })
        #expect(throws: InputError.blank(path: "paper.jpg")) { try Preprocess.mnist(paper, path: "paper.jpg") }
    }

    @Test func csvLinesOutsideMNISTsConventionAreRecognised() throws {
        let mnistLike = try Preprocess.mnist(Self.clean, path: "clean.png")
        #expect(Preprocess.isMNISTConvention(mnistLike))
        #expect(!Preprocess.isMNISTConvention(mnistLike.map { 255 - $0 }), "dark ink on white")
        var offCentre = [Float](repeating: 0, count: 784)
        for y in 0..<28 { for x in 0..<24 { offCentre[y * 28 + x] = mnistLike[y * 28 + x + 4] } }
        #expect(!Preprocess.isMNISTConvention(offCentre), "ink moved 4 pixels left")
        let small = try Preprocess.mnist(Drawing.digit(width: 28, height: 28, ink: 255, paper: 0, centre: (14, 14), radius: 5), path: "s")
        #expect(Preprocess.isMNISTConvention(small))
        #expect(!Preprocess.isMNISTConvention(Drawing.digit(width: 28, height: 28, ink: 255, paper: 0, centre: (14, 14), radius: 5).pixels.map(Float.init)), "a 10-pixel digit")
    }

    /// MNIST's own test images, written as PNG files and read back the way `digits query` reads
    /// a person's: normalisation must leave them (nearly) as they are.
    @Test(.enabled(if: Fixtures.mnistDirectory != nil, "MNIST_DIR does not point at the MNIST files; set it to run this test"),
          arguments: [DefaultModel.fileName, DefaultModel.readerFileName])
    func mnistTestImagesThroughThePNGPathAreReadAsEvaluateReadsThem(shipped: String) throws {
        let set = try MNISTDirectory(path: Fixtures.mnistDirectory!).load(.test)
        let model = try Safetensors.load(try #require(shipped == DefaultModel.fileName ? DefaultModel.path : DefaultModel.readerPath))
        var direct = 0, throughPNG = 0, unchanged = 0, differing = 0
        for i in 0..<set.count {
            let pixels = Array(set.image(i))
            let png = PNGImage.encode(GrayImage(width: 28, height: 28, pixels: pixels))
            let read = try ImageInput.images(in: png, path: "t.png")[0].get().pixels
            let label = Int(set.labels[i])
            let (a, b) = (model.predict(pixels.map(Float.init)).digit, model.predict(read).digit)
            if a == label { direct += 1 }
            if b == label { throughPNG += 1 }
            if a != b { differing += 1 }
            if zip(read, pixels).allSatisfy({ abs($0 - Float($1)) <= 1 }) { unchanged += 1 }
        }
        // Within 0.2 points: and not by luck, for at most 20 images get another answer at all.
        #expect(abs(direct - throughPNG) <= 20, "evaluate reads \(direct), the PNG path \(throughPNG) of 10,000")
        #expect(differing <= 20, "\(differing) of 10,000 get another answer through the PNG path")
        // Some of the second half carry a speck of dirt apart from the digit, which is dropped.
        #expect(unchanged >= 9_800, "only \(unchanged) of 10,000 come out unchanged")
    }
}

@Suite("Deskewing")
struct DeskewTests {
    /// A bar leaning right by `lean` pixels per row (its top to the right).
    static func leaning(_ lean: Float) -> [Float] {
        var p = [Float](repeating: 0, count: 784)
        for y in 4..<24 {
            let x = 14 + lean * (14 - Float(y))
            for dx in -1...1 { let c = Int(x.rounded()) + dx; if (0..<28).contains(c) { p[y * 28 + c] = 255 } }
        }
        return p
    }

    @Test func aLeaningBarIsMadeUpright() {
        let bar = Self.leaning(0.4)
        #expect(abs(Deskew.slant(bar) + 0.4) < 0.05, "slant \(Deskew.slant(bar))")
        let upright = Deskew.apply(bar)
        #expect(abs(Deskew.slant(upright)) < 0.05, "after: \(Deskew.slant(upright))")
        // Upright: every inked row has its ink in the same columns.
        let columns = (4..<24).map { y in (0..<28).filter { upright[y * 28 + $0] > 127 } }
        #expect(Set(columns.map { $0.first ?? -1 }).count <= 2, "\(columns)")
    }

    @Test func anUprightDigitIsLeftAlone() {
        let bar = Self.leaning(0)
        #expect(Deskew.slant(bar) == 0 && Deskew.apply(bar) == bar)
        #expect(Deskew.apply([Float](repeating: 0, count: 784)) == [Float](repeating: 0, count: 784))
    }
}

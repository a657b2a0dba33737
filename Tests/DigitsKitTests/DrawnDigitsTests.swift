import Testing
@testable import DigitsKit

@Suite("DrawnDigits")
struct DrawnDigitsTests {
    @Test func theSameSeedDrawsTheSameBytesAndAnotherSeedOthers() {
        let a = DrawnDigits.images(count: 20, seed: 1)
        let b = DrawnDigits.images(count: 20, seed: 1)
        #expect(a.images == b.images && a.labels == b.labels)
        #expect(a.images != DrawnDigits.images(count: 20, seed: 2).images)
        #expect(a.images.count == 20 * Dataset.pixelCount)
    }

    @Test func theDigitsComeInTurnEachWithStylesOfItsOwn() {
        let (_, labels) = DrawnDigits.images(count: 25, seed: 3)
        #expect(labels == (0..<25).map { UInt8($0 % 10) })
        #expect(DrawnDigits.styles.count == 10)
        for (digit, styles) in DrawnDigits.styles.enumerated() {
            #expect(styles.count >= 2, "digit \(digit)")
            for style in styles { #expect(style.allSatisfy { $0.count >= 2 }, "digit \(digit): a stroke needs two points") }
        }
    }

    /// Every picture has gone through `Preprocess`: ink, its box fitted to 20 pixels and its
    /// centre of mass near pixel 14, as a digit the network reads would be.
    @Test func everyPictureIsInMNISTsConvention() {
        let (bytes, _) = DrawnDigits.images(count: 60, seed: 7)
        for i in 0..<60 {
            let pixels = bytes[i * 784..<(i + 1) * 784].map(Float.init)
            #expect(pixels.contains { $0 > 128 }, "picture \(i) has ink")
            #expect(Preprocess.isMNISTConvention(pixels), "picture \(i) (digit \(i % 10))")
        }
    }

    /// A 1 with a flag is drawn as a 1 is written in much of Europe: drawn by the same hand (the
    /// same seed gives the same box, slant, turn and pen), its upper part reaches well to the
    /// left of where a plain stroke's does.
    @Test func aFlaggedOneReachesLeftOfAPlainOneAtTheTop() {
        func leftmostInkInTheUpperPart(_ style: [Pen.Stroke]) -> Int {
            var random = Random(seed: 5)
            let picture = Pen.draw(style, aspect: 0.6...0.6, &random)
            return (0..<Pen.canvas / 2).flatMap { y in (0..<Pen.canvas).filter { x in picture[x, y] < 128 } }.min() ?? Pen.canvas
        }
        let (plain, flagged) = (leftmostInkInTheUpperPart(DrawnDigits.styles[1][0]), leftmostInkInTheUpperPart(DrawnDigits.styles[1][2]))
        #expect(flagged + 5 < plain, "flagged \(flagged), plain \(plain)")
    }

    @Test func appendingKeepsEachSetsLabels() {
        let digits = KernelsTests.dataset(count: 3)
        let drawn = DrawnDigits.images(count: 4, seed: 1)
        let both = digits.appending(Dataset(images: drawn.images, labels: drawn.labels))
        #expect(both.count == 7)
        #expect(Array(both.labels.suffix(4)) == [0, 1, 2, 3])
        #expect(Array(both.images.suffix(4 * 784)) == drawn.images)
    }
}

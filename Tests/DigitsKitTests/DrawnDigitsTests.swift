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

    @Test func theDigitsComeInTurn() {
        let labels = DrawnDigits.images(count: 25, seed: 3).labels
        #expect(labels == (0..<25).map { UInt8($0 % 10) })
    }

    /// Every style of every digit stays in its box (a little jitter apart) and has strokes of two
    /// points or more; and two samples of a style differ in their proportions.
    @Test func everyStyleIsAFamilyOfShapesInTheBox() {
        var random = Random(seed: 9)
        for digit in 0..<10 {
            for style in 0..<DrawnDigits.styleCounts[digit] {
                let a = DrawnDigits.strokes(digit: digit, style: style, &random)
                let b = DrawnDigits.strokes(digit: digit, style: style, &random)
                #expect(a.allSatisfy { $0.count >= 2 }, "digit \(digit) style \(style)")
                let points = a.flatMap { $0 }
                #expect(points.allSatisfy { (-0.05...1.05).contains($0.x) && (-0.05...1.05).contains($0.y) }, "digit \(digit) style \(style)")
                #expect(zip(a.flatMap { $0 }, b.flatMap { $0 }).contains { $0.x != $1.x || $0.y != $1.y }, "digit \(digit) style \(style)")
            }
        }
    }

    /// A 1 with a flag, as much of Europe writes it: the flag starts left of and below the top,
    /// which is the stem's top; a plain 1 is one stroke from top to bottom.
    @Test func aFlaggedOneHasItsFlagLeftOfAndBelowTheTop() {
        var random = Random(seed: 4)
        for _ in 0..<50 {
            let plain = DrawnDigits.strokes(digit: 1, style: 0, &random)
            #expect(plain.count == 1 && plain[0].count == 2 && plain[0][0].y == 0 && plain[0][1].y == 1)
            for style in 1...2 {
                let stroke = DrawnDigits.strokes(digit: 1, style: style, &random)[0]
                let (flag, top) = (stroke[0], stroke[1])
                #expect(top.x - flag.x >= 0.15 && flag.y >= 0.05 && flag.y <= 0.5 && top.y == 0, "\(stroke)")
            }
        }
    }

    /// A 6 with a hook starts its hook high on the right, above where its loop begins: started
    /// level with the loop, the hook would close over it into a 0.
    @Test func aHookedSixStartsAboveItsLoop() {
        var random = Random(seed: 6)
        for _ in 0..<50 {
            let stroke = DrawnDigits.strokes(digit: 6, style: 2, &random)[0]
            #expect(stroke[0].y < 0.4 && stroke[0].x > 0.6, "\(stroke[0])")
        }
    }

    /// Every picture has gone through `Preprocess`: ink, its box fitted to 20 pixels and its
    /// centre of mass near pixel 14, as a digit the network reads would be.
    @Test func everyPictureIsInMNISTsConvention() {
        let bytes = DrawnDigits.images(count: 60, seed: 7).images
        for i in 0..<60 {
            let pixels = bytes[i * 784..<(i + 1) * 784].map(Float.init)
            #expect(pixels.contains { $0 > 128 }, "picture \(i) has ink")
            #expect(Preprocess.isMNISTConvention(pixels), "picture \(i) (digit \(i % 10))")
        }
    }
}

import Testing
@testable import DigitsKit

@Suite("NonDigits")
struct NonDigitsTests {
    @Test func theSameSeedDrawsTheSameBytesAndAnotherSeedOthers() {
        let a = NonDigits.images(count: 30, seed: 1)
        #expect(a == NonDigits.images(count: 30, seed: 1))
        #expect(a != NonDigits.images(count: 30, seed: 2))
        #expect(a.count == 30 * Dataset.pixelCount)
    }

    /// Every picture has gone through `Preprocess`: ink, its box fitted to 20 pixels and its
    /// centre of mass near pixel 14, as a digit the network reads would be.
    @Test func everyPictureIsInMNISTsConvention() {
        let count = 2 * NonDigits.glyphs.count
        let bytes = NonDigits.images(count: count, seed: 7)
        for i in 0..<count {
            let pixels = bytes[i * 784..<(i + 1) * 784].map(Float.init)
            #expect(Preprocess.isMNISTConvention(pixels), "picture \(i) (\(NonDigits.glyphs[i % NonDigits.glyphs.count].name))")
        }
    }

    @Test func appendingLabelsThePicturesNotADigit() {
        let digits = KernelsTests.dataset(count: 3)
        let both = digits.appending(nonDigits: NonDigits.images(count: 2, seed: 1))
        #expect(both.count == 5)
        #expect(Array(both.labels.suffix(2)) == [Dataset.notADigit, Dataset.notADigit])
        #expect(both.labelHistogram == digits.labelHistogram)
    }

    @Test func theNonDigitTargetIsUniformUnderCrossEntropyAndLowUnderSquaredError() {
        #expect(TargetEncoding.onehot.target(10, count: 10, loss: .crossEntropy) == [Float](repeating: 0.1, count: 10))
        #expect(TargetEncoding.book.target(10, count: 10, loss: .mse) == [Float](repeating: 0.01, count: 10))
        #expect(TargetEncoding.onehot.target(3, count: 4, loss: .crossEntropy) == [0, 0, 0, 1])
    }
}

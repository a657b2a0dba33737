@testable import DigitsKernels
import Testing
@testable import DigitsKit

/// The reader's ink kernels on tiny hand-made images in the sampler's padded 30×30 layout.
@Suite("Reader kernels")
struct ReaderKernelsTests {
    /// A padded image (30×30, black border) with `pixels` (x, y, value) set, and its scratch.
    static func padded(_ pixels: [(Int, Int, Float)]) -> (image: [Float], scratch: [Float]) {
        var image = [Float](repeating: 0, count: 900)
        for (x, y, v) in pixels { image[(y + 1) * 30 + x + 1] = v }
        // Stale values in the scratch must not matter.
        return (image, [Float](repeating: 77, count: 900))
    }

    static func at(_ image: [Float], _ x: Int, _ y: Int) -> Float { image[(y + 1) * 30 + x + 1] }

    /// Runs `body` on the image's and the scratch's storage.
    static func run<R>(_ image: inout [Float], _ scratch: inout [Float],
                       _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> R) -> R {
        image.withUnsafeMutableBufferPointer { i in scratch.withUnsafeMutableBufferPointer { s in body(i.baseAddress!, s.baseAddress!) } }
    }

    @Test func aDilationTurnsOnePixelIntoItsThreeByThreeNeighbourhood() {
        var (image, scratch) = Self.padded([(10, 12, 255)])
        let box = Self.run(&image, &scratch) { Kernels.stroke($0, $1, box: (10, 12, 10, 12), thickness: 1) }
        #expect(box == (9, 11, 11, 13))
        for y in 0..<28 {
            for x in 0..<28 {
                let inside = (9...11).contains(x) && (11...13).contains(y)
                #expect(Self.at(image, x, y) == (inside ? 255 : 0), "(\(x), \(y))")
            }
        }
    }

    @Test func aHalfDilationAddsHalfTheNeighbourhoodAndTwoStepsGiveFiveByFive() {
        var (half, scratch) = Self.padded([(10, 12, 200)])
        _ = Self.run(&half, &scratch) { Kernels.stroke($0, $1, box: (10, 12, 10, 12), thickness: 0.5) }
        #expect(Self.at(half, 10, 12) == 200)
        #expect(Self.at(half, 9, 11) == 100 && Self.at(half, 11, 12) == 100 && Self.at(half, 10, 13) == 100)
        #expect(Self.at(half, 8, 12) == 0)
        var (double, scratch2) = Self.padded([(10, 12, 255)])
        let box = Self.run(&double, &scratch2) { Kernels.stroke($0, $1, box: (10, 12, 10, 12), thickness: 2) }
        #expect(box == (8, 10, 12, 14))
        #expect(double.reduce(0, +) == 25 * 255)
        // At the image's edge the ink does not spill into the black border.
        var (corner, scratch3) = Self.padded([(0, 27, 255)])
        let edge = Self.run(&corner, &scratch3) { Kernels.stroke($0, $1, box: (0, 27, 0, 27), thickness: 1) }
        #expect(edge == (0, 26, 1, 27))
        #expect(corner.reduce(0, +) == 4 * 255)
    }

    @Test func anErosionRemovesAOnePixelLineAndThinsAThickerOne() {
        let line = (3...20).map { ($0, 8, Float(255)) }
        var (thin, scratch) = Self.padded(line)
        _ = Self.run(&thin, &scratch) { Kernels.stroke($0, $1, box: (3, 8, 20, 8), thickness: -1) }
        #expect(thin.allSatisfy { $0 == 0 })
        // A bar three pixels high keeps its middle row, less one pixel at each end.
        var (bar, scratch2) = Self.padded((7...9).flatMap { y in (3...20).map { ($0, y, Float(255)) } })
        _ = Self.run(&bar, &scratch2) { Kernels.stroke($0, $1, box: (3, 7, 20, 9), thickness: -1) }
        for y in 7...9 {
            for x in 3...20 { #expect(Self.at(bar, x, y) == (y == 8 && x >= 4 && x <= 19 ? 255 : 0), "(\(x), \(y))") }
        }
        // A partial erosion blends: 40% of the way to the minimum.
        var (faint, scratch3) = Self.padded(line)
        _ = Self.run(&faint, &scratch3) { Kernels.stroke($0, $1, box: (3, 8, 20, 8), thickness: -0.4) }
        #expect(abs(Self.at(faint, 10, 8) - 153) < 1e-3)
    }

    @Test func theBlurKeepsTheMassAndSpreadsOnePixelBinomially() {
        var (image, scratch) = Self.padded([(14, 13, 256)])
        let box = Self.run(&image, &scratch) { Kernels.blur($0, $1, box: (14, 13, 14, 13), sigma: 1) }
        #expect(box == (12, 11, 16, 15))
        // σ = 1: w = 1/4, two passes of [1, 2, 1]/4 are [1, 4, 6, 4, 1]/16 along each axis.
        let k: [Float] = [1, 4, 6, 4, 1]
        for dy in -2...2 { for dx in -2...2 { #expect(Self.at(image, 14 + dx, 13 + dy) == k[dx + 2] * k[dy + 2], "(\(dx), \(dy))") } }
        #expect(image.reduce(0, +) == 256)
        // A weaker blur of a larger shape keeps its mass too, and lowers its peak.
        var (ring, scratch2) = Self.padded((5...20).flatMap { y in (5...20).compactMap { x in (x == 5 || x == 20 || y == 5 || y == 20) ? (x, y, Float(255)) : nil } })
        let before = ring.reduce(0, +)
        _ = Self.run(&ring, &scratch2) { Kernels.blur($0, $1, box: (5, 5, 20, 20), sigma: 0.6) }
        #expect(abs(ring.reduce(0, +) - before) < before * 1e-5)
        #expect(ring.max()! < 255)
    }

    @Test func restylingBringsThePeakBackTo255() {
        let pixels: [(Int, Int, Float)] = [(10, 10, 255), (11, 10, 255), (12, 10, 100)]
        var (image, scratch) = Self.padded(pixels)
        let box = Self.run(&image, &scratch) { Kernels.restyle($0, $1, box: (10, 10, 12, 10), InkStyle(thickness: 0, blur: 1)) }
        #expect(box == (8, 8, 14, 12))
        // The blur alone, scaled by hand so that its peak is 255.
        var (blurred, scratch2) = Self.padded(pixels)
        _ = Self.run(&blurred, &scratch2) { Kernels.blur($0, $1, box: (10, 10, 12, 10), sigma: 1) }
        let peak = blurred.max()!
        #expect(peak < 200)
        for i in 0..<900 { #expect(abs(image[i] - blurred[i] * 255 / peak) < 1e-3) }
    }

    @Test func theInkSinkAppliesTheToneCurveAndNoiseToInkOnly() {
        let tones = Augmenter.makeTones()
        #expect(tones.count == Augmenter.toneLevels * 256)
        let middle = Augmenter.toneLevels / 2
        #expect(Array(tones[(middle * 256)..<((middle + 1) * 256)]) == (0...255).map { UInt8($0) })
        #expect(abs(Augmenter.gamma(ofTone: 0) - 0.6065) < 1e-3 && abs(Augmenter.gamma(ofTone: Augmenter.toneLevels - 1) - 1.6487) < 1e-3)
        // γ > 1 keeps 0 and 255 and makes the middle fainter: 255·(128/255)^1.6487 = 82.
        let last = (Augmenter.toneLevels - 1) * 256
        #expect(tones[last] == 0 && tones[last + 255] == 255 && tones[last + 128] == 82)
        var out = [UInt8](repeating: 9, count: 784)
        tones.withUnsafeBufferPointer { t in
            out.withUnsafeMutableBufferPointer { o in
                var sink = InkSink(base: ByteSink(pixels: o.baseAddress!), tone: t.baseAddress! + last, noise: 20, seed: 5)
                for p in 0..<784 { sink.put(p, p % 2 == 0 ? 0 : 128) }
            }
        }
        #expect(stride(from: 0, to: 784, by: 2).allSatisfy { out[$0] == 0 })
        let inked = stride(from: 1, to: 784, by: 2).map { Int(out[$0]) }
        #expect(inked.allSatisfy { abs($0 - 82) <= 20 })
        #expect(Set(inked).count > 20)  // it is noise, not a constant
        #expect(abs(Double(inked.reduce(0, +)) / Double(inked.count) - 82) < 2)
    }

    @Test func theJitterIsUniformAndDependsOnSeedAndPixelAlone() {
        let values = (0..<10_000).map { Kernels.jitter(42, $0) }
        #expect(values.allSatisfy { $0 >= -1 && $0 < 1 })
        #expect(abs(values.reduce(0, +) / 10_000) < 0.03)
        #expect(values.filter { $0 > 0.5 }.count > 2300 && values.filter { $0 > 0.5 }.count < 2700)
        #expect(Kernels.jitter(42, 17) == values[17])
        #expect(Kernels.jitter(43, 17) != values[17])
    }
}

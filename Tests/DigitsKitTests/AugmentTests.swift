@testable import DigitsKernels
import Testing
@testable import DigitsKit

@Suite("Augmentation")
struct AugmentTests {
    /// A 28×28 test digit: a ring, light ink on black.
    static let image: [UInt8] = Drawing.digit(width: 28, height: 28, ink: 255, paper: 0, centre: (14, 13), radius: 7).pixels

    static func mass(_ pixels: [UInt8]) -> Double { pixels.reduce(0.0) { $0 + Double($1) } }

    @Test func theIdentityReturnsTheImageUnchanged() {
        for kind in Augmentation.allCases {
            #expect(Augmenter(kind: kind, seed: 1).apply(.identity, to: Self.image) == Self.image)
        }
    }

    @Test func aOnePixelShiftMovesTheInkByOnePixel() {
        let augmenter = Augmenter(kind: .affine, seed: 1)
        let right = augmenter.apply(.shift(1, 0), to: Self.image)
        let down = augmenter.apply(.shift(0, 1), to: Self.image)
        for y in 0..<28 {
            for x in 1..<28 { #expect(right[y * 28 + x] == Self.image[y * 28 + x - 1]) }
            #expect(right[y * 28] == 0)
        }
        for y in 1..<28 { for x in 0..<28 { #expect(down[y * 28 + x] == Self.image[(y - 1) * 28 + x]) } }
    }

    @Test(arguments: [Augmentation.affine, .elastic])
    func theSameSeedGivesTheSameBytes(kind: Augmentation) {
        let images = Self.image + Self.image.reversed()
        let a = Augmenter(kind: kind, seed: 7).distort(images, epoch: 3)
        let b = Augmenter(kind: kind, seed: 7).distort(images, epoch: 3)
        #expect(a == b)
        #expect(a != images)
        #expect(Augmenter(kind: kind, seed: 8).distort(images, epoch: 3) != a)
        #expect(Augmenter(kind: kind, seed: 7).distort(images, epoch: 4) != a)
        // Each image's distortion depends on its own index only, not on its neighbours.
        #expect(Array(Augmenter(kind: kind, seed: 7).distort(Array(images.prefix(784)), epoch: 3)) == Array(a.prefix(784)))
    }

    @Test(arguments: [Augmentation.affine, .elastic])
    func distortedImagesKeepTheirInkMass(kind: Augmentation) {
        let augmenter = Augmenter(kind: kind, seed: 11)
        let original = Self.mass(Self.image)
        for index in 0..<50 {
            let distorted = augmenter.apply(augmenter.distortion(epoch: 1, index: index), to: Self.image)
            let ratio = Self.mass(distorted) / original
            // Scale up to ±10% per axis changes the area by at most about ±21%; the elastic
            // field stretches and squeezes locally (its divergence) by up to about half again.
            let (low, high) = kind == .affine ? (0.75, 1.3) : (0.6, 1.6)
            #expect(ratio > low && ratio < high, "image \(index): ink mass ×\(ratio)")
        }
    }

    @Test(arguments: [Augmentation.affine, .elastic, .reader, .readerThick, .readerElastic])
    func theTrainingInputsAreTheDistortedImages(kind: Augmentation) {
        // The sparse inputs made for training (visiting only the region the ink can reach) are
        // exactly the nonzero pixels of the distorted images.
        let data = KernelsTests.dataset(count: 30)
        let augmenter = Augmenter(kind: kind, seed: 5)
        let table = InputScaling.unit.table
        let direct = augmenter.distortedInputs(data.images, epoch: 2, table: table)
        let viaBytes = SparseInputs(images: augmenter.distort(data.images, epoch: 2), count: 30, pixels: 784, table: table)
        #expect(direct.offsets == viaBytes.offsets)
        #expect(direct.indices == viaBytes.indices)
        #expect(direct.values == viaBytes.values)
    }

    @Test(arguments: [Augmentation.elastic, .readerThick])
    func sharingTheChunksBetweenTwoThreadsGivesTheSameInputs(kind: Augmentation) {
        let data = KernelsTests.dataset(count: 4 * EpochPreparation.chunkSize + 17)
        let augmenter = Augmenter(kind: kind, seed: 3)
        let table = InputScaling.unit.table
        let alone = augmenter.distortedInputs(data.images, epoch: 1, table: table)
        var reused: SparseInputs?
        for _ in 0..<4 {
            // The background starts from the front; finish() at once takes chunks from the back.
            let shared = EpochPreparation(augmenter, images: data.images, boxes: Augmenter.inkBoxes(data.images), epoch: 1,
                                          table: table, reusing: reused).finish()
            #expect(shared.offsets == alone.offsets)
            #expect(shared.indices == alone.indices)
            #expect(shared.values == alone.values)
            reused = shared
        }
    }

    @Test func elasticFieldsAreSmoothAndOfSimardsSize() {
        let fields = Augmenter.makeFields(seed: 1)
        #expect(fields.count == Augmenter.fieldCount * 2 * 784)
        let magnitude = (fields.reduce(0.0) { $0 + Double($1 * $1) } / Double(fields.count)).squareRoot()
        #expect(magnitude > 0.3 && magnitude < 4, "rms displacement \(magnitude) px")
        // Neighbouring pixels move together.
        var jump = 0.0
        for i in 0..<783 where (i + 1) % 28 != 0 { jump += Double(abs(fields[i + 1] - fields[i])) }
        #expect(jump / 756 < magnitude * 0.5)
    }

    @Test func augmentedTrainingIsDeterministicAndLearns() throws {
        var r = Random(seed: 4)
        var images: [UInt8] = [], labels: [UInt8] = []
        for _ in 0..<300 {
            let label = r.below(10)
            labels.append(UInt8(label))
            images += (0..<784).map { p in (p / 28 >= label * 2 + 4 && p / 28 < label * 2 + 6 && p % 28 > 4 && p % 28 < 24) ? 255 : 0 }
        }
        let data = Dataset(images: images, labels: labels)
        var options = TrainingOptions()
        options.hidden = [16]
        options.epochs = 6
        options.augment = .elastic
        let a = try Trainer(options: options).train(on: data, evaluateOn: data)
        let b = try Trainer(options: options).train(on: data, evaluateOn: data)
        #expect(a.network == b.network)
        #expect((a.history.last?.accuracy ?? 0) > 0.5)  // chance is 0.1
    }
}

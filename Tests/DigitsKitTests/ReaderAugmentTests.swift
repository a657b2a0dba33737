import Testing
@testable import DigitsKit

/// The reader augmentation (issue 14), and the promise that the augmentations before it are
/// untouched by it.
@Suite("Reader augmentation")
struct ReaderAugmentTests {
    /// SHA-256 of a run's float bits, little-endian.
    static func fingerprint(_ floats: [Float]) -> String {
        var hash = SHA256()
        hash.update(floats.flatMap { f in (0..<4).map { UInt8(truncatingIfNeeded: f.bitPattern >> (8 * $0)) } })
        return hash.finalizeHex()
    }

    /// `make model` trains with the default options: affine distortions, 30 epochs. Its bytes
    /// stay what they were because the affine and elastic inputs and a short default training
    /// run are bit for bit those recorded before the reader augmentation was added.
    @Test func theDefaultAugmentationsAreBitForBitUnchanged() throws {
        #expect(TrainingOptions().augment == .affine)
        #expect(TrainingOptions().epochs == 30)
        let data = KernelsTests.dataset(count: 120)
        for (kind, expected) in [(Augmentation.affine, "3704f4c9ce7ed82768d481803fa9c60d9b9732d5e77ecbf2f351aa4afec0a47b"), (.elastic, "c4fb310a1218aead182eb214775247f5b553a56adec05365a4c44f0218dcd4c8")] {
            let inputs = Augmenter(kind: kind, seed: 1).distortedInputs(data.images, epoch: 3, table: InputScaling.unit.table)
            let got = Self.fingerprint(inputs.values + inputs.indices.map { Float($0) } + inputs.offsets.map { Float($0) })
            #expect(got == expected, "\(kind.rawValue)")
        }
        var options = TrainingOptions()
        options.hidden = 12
        options.epochs = 2
        let run = try Trainer(options: options).train(on: KernelsTests.dataset(count: 300, seed: 9), evaluateOn: nil)
        #expect(Self.fingerprint(run.network.W_ih + run.network.W_ho + run.network.b_h + run.network.b_o)
                == "a84ee95f7e06dca4d88cb4bde12309eb41d3f739509770bc6ffeb012c458bd8e")
    }
}

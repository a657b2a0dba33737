import Testing
@testable import DigitsKit

@Suite("Trainer")
struct TrainerTests {
    static func options(seed: UInt64 = 1, batch: Int = 1) -> TrainingOptions {
        var o = TrainingOptions()
        o.hidden = 16
        o.epochs = 3
        o.seed = seed
        o.batchSize = batch
        return o
    }

    @Test func sameSeedAndOptionsGiveTheSameModelBitForBit() {
        let data = KernelsTests.dataset(count: 50)
        let a = Trainer(options: Self.options()).train(on: data, evaluateOn: nil)
        let b = Trainer(options: Self.options()).train(on: data, evaluateOn: nil)
        let c = Trainer(options: Self.options(seed: 2)).train(on: data, evaluateOn: nil)
        #expect(Safetensors.encode(Model(network: a, inputs: .unit)) == Safetensors.encode(Model(network: b, inputs: .unit)))
        #expect(a != c)
    }

    @Test(arguments: [1, 8])
    func learnsASeparableProblem(batch: Int) {
        // Ten synthetic "digits": each label inks its own band of rows. Training must fit it.
        var r = Random(seed: 4)
        var images: [UInt8] = [], labels: [UInt8] = []
        for _ in 0..<400 {
            let label = r.below(10)
            labels.append(UInt8(label))
            images += (0..<784).map { p in (p / 28 >= label * 2 + 4 && p / 28 < label * 2 + 6 && r.below(4) != 0) ? 255 : 0 }
        }
        let data = Dataset(images: images, labels: labels)
        var o = Self.options(batch: batch)
        o.epochs = 8
        o.learningRate = batch == 1 ? 0.4 : 2
        var losses: [Double] = []
        let network = Trainer(options: o).train(on: data, evaluateOn: data, epochEnd: { losses.append($0.loss) })
        #expect(losses.count == 8)
        #expect(losses.last! < losses.first! / 2)
        #expect(Evaluation(network: network, inputs: .unit, data: data).accuracy > 0.95)
    }

    @Test func stopsEarlyWithoutReportingThePartialEpoch() {
        let data = KernelsTests.dataset(count: 40)
        var reports = 0
        var polls = 0
        _ = Trainer(options: Self.options()).train(on: data, evaluateOn: nil, epochEnd: { _ in reports += 1 },
                                                   shouldStop: { polls += 1; return polls > 50 })
        #expect(reports == 1)
    }
}

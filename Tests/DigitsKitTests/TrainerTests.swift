import Testing
@testable import DigitsKit

@Suite("Trainer")
struct TrainerTests {
    static func options(seed: UInt64 = 1, batch: Int = 1) -> TrainingOptions {
        var o = TrainingOptions()
        o.hidden = [16]
        o.epochs = 3
        o.seed = seed
        o.batchSize = batch
        o.augment = .none
        return o
    }

    @Test func sameSeedAndOptionsGiveTheSameModelBitForBit() throws {
        let data = KernelsTests.dataset(count: 50)
        let a = try Trainer(options: Self.options()).train(on: data, evaluateOn: nil).network
        let b = try Trainer(options: Self.options()).train(on: data, evaluateOn: nil).network
        let c = try Trainer(options: Self.options(seed: 2)).train(on: data, evaluateOn: nil).network
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
        let network = Trainer(options: o).train(on: data, evaluateOn: data, epochEnd: { report, _ in losses.append(report.loss) }).network
        #expect(losses.count == 8)
        #expect(losses.last! < losses.first! / 2)
        #expect(Evaluation(network: network, inputs: .unit, data: data).accuracy > 0.95)
    }

    @Test func stopsEarlyWithoutReportingThePartialEpoch() {
        let data = KernelsTests.dataset(count: 40)
        var reports = 0
        var polls = 0
        let run = Trainer(options: Self.options()).train(on: data, evaluateOn: nil, epochEnd: { _, _ in reports += 1 },
                                                         shouldStop: { polls += 1; return polls > 50 })
        #expect(reports == 1)
        #expect(run.history.count == 1)
        #expect(run.interruptedAfter == 10)
    }

    @Test(arguments: [(1, Float(0)), (4, 0), (4, 0.9)])
    func resumingFromAnyEpochGivesTheUninterruptedResult(batch: Int, momentum: Float) throws {
        let data = KernelsTests.dataset(count: 60)
        var options = Self.options(batch: batch)
        options.momentum = momentum
        options.nesterov = momentum > 0
        options.learningRate = momentum > 0 ? 0.05 : 0.4
        options.augment = batch == 1 ? .affine : .elastic  // resumed distortions must match too
        options.epochs = 5
        options.schedule = .cosine
        let trainer = Trainer(options: options)
        var checkpoints: [Checkpoint] = []
        let whole = try trainer.train(on: data, evaluateOn: data, epochEnd: { _, state in checkpoints.append(state) })
        for checkpoint in checkpoints.dropLast() {
            // Through a file, as --checkpoint-every and --resume do.
            let path = Fixtures.folder() + "/ckpt.safetensors"
            try CheckpointFile.save(checkpoint, options: options, to: path)
            let loaded = try CheckpointFile.load(path, options: options)
            #expect(loaded.history.count == checkpoint.history.count)
            let resumed = try trainer.train(on: data, evaluateOn: data, resume: loaded)
            #expect(resumed.network == whole.network, "resumed after epoch \(checkpoint.history.count)")
            #expect(resumed.history.map(\.epoch) == Array(1...5))
            #expect(Model.historyJSON(resumed.history) == Model.historyJSON(whole.history))
        }
    }

    @Test func aCheckpointMadeWithOtherOptionsIsRefused() throws {
        let data = KernelsTests.dataset(count: 20)
        let options = Self.options()
        let run = try Trainer(options: options).train(on: data, evaluateOn: nil)
        let path = Fixtures.folder() + "/ckpt.safetensors"
        try CheckpointFile.save(Checkpoint(network: run.network, history: Array(run.history.prefix(1))), options: options, to: path)
        var other = options
        other.learningRate = 0.05
        #expect(throws: CheckpointError.mismatch(path: path, key: "learning_rate", checkpoint: "0.4", run: "0.05")) {
            try CheckpointFile.load(path, options: other)
        }
        let model = Fixtures.folder() + "/model.safetensors"
        try Safetensors.save(Model(network: run.network, inputs: .unit), to: model)
        #expect(throws: CheckpointError.notACheckpoint(path: model)) { try CheckpointFile.load(model, options: options) }
    }
}

@testable import DigitsKernels
import Testing
@testable import DigitsKit

/// The fast kernels against the plain formulas of Network.feedforward, backprop and update.
@Suite("Kernels")
struct KernelsTests {
    /// `count` random 28×28 images, about a third of the pixels inked, with random labels
    /// (with `nonDigits`, about one in eleven is `Dataset.notADigit`).
    static func dataset(count: Int, seed: UInt64 = 3, nonDigits: Bool = false) -> Dataset {
        var r = Random(seed: seed)
        let images = (0..<count * 784).map { _ in r.below(3) == 0 ? UInt8(1 + r.below(255)) : 0 }
        let labels = (0..<count).map { _ in UInt8(r.below(nonDigits ? 11 : 10)) }
        return Dataset(images: images, labels: labels)
    }

    /// One epoch the plain way: batches of K in `order`, gradients summed at the batch's start
    /// parameters, then doc 000 §6's update; the learning rate moving linearly over the epoch.
    static func plainEpoch(_ start: Network, data: Dataset, order: [Int32], settings s: StepSettings,
                           masks: ((Int) -> [[Float]])? = nil) -> Network {
        var n = start
        var velocity = Gradient(zeroFor: n)
        let momentum = Momentum(mu: s.momentum, nesterov: s.nesterov)
        var position = 0
        let step = (s.learningRateEnd - s.learningRate) / Float(order.count)
        while position < order.count {
            let end = min(position + s.batchSize, order.count)
            let lr = s.learningRate + step * Float(position)
            var sum = Gradient(zeroFor: n)
            for p in position..<end {
                let i = Int(order[p])
                let x = data.image(i).map { s.inputTable[Int($0)] }
                sum.add(n.backprop(x, target: s.targets.target(Int(data.labels[i]), loss: s.loss), loss: s.loss, rule: s.rule,
                                   masks: masks?(p)))
            }
            if s.momentum == 0 {
                n.update(with: sum, batchSize: end - position, learningRate: lr, l2: s.l2)
            } else {
                // g = −α[(1/K)ΔW + λW] for weights, −α(1/K)Δb for biases, then Momentum.step.
                let scale = lr / Float(end - position)
                for l in n.layers.indices {
                    for i in n.layers[l].W.indices {
                        momentum.step(&n.layers[l].W[i], velocity: &velocity.layers[l].W[i],
                                      plainStep: -scale * sum.layers[l].W[i] - lr * s.l2 * n.layers[l].W[i])
                    }
                    for j in n.layers[l].b.indices {
                        momentum.step(&n.layers[l].b[j], velocity: &velocity.layers[l].b[j], plainStep: -scale * sum.layers[l].b[j])
                    }
                }
            }
            position = end
        }
        return n
    }

    static func settings(rule: Rule = .exact, loss: Loss = .mse, batch: Int = 1, l2: Float = 0,
                         lr: (Float, Float) = (0.3, 0.3), inputs: InputScaling = .unit, targets: TargetEncoding = .onehot,
                         momentum: Float = 0, nesterov: Bool = false) -> StepSettings {
        StepSettings(learningRate: lr.0, learningRateEnd: lr.1, momentum: momentum, nesterov: nesterov, l2: l2, batchSize: batch,
                     rule: rule, loss: loss, inputTable: inputs.table, targets: targets)
    }

    static func maxDifference(_ a: Network, _ b: Network) -> Float {
        zip(a.layers, b.layers).map { x, y in zip(x.W + x.b, y.W + y.b).map { abs($0 - $1) }.max() ?? 0 }.max()!
    }

    static let cases: [(String, StepSettings)] = [
        ("per-example, exact, mse", settings()),
        ("per-example, classic", settings(rule: .classic)),
        ("per-example, cross-entropy, l2", settings(loss: .crossEntropy, l2: 0.01)),
        ("per-example, book inputs and targets, scheduled lr", settings(lr: (0.5, 0.1), inputs: .book, targets: .book)),
        ("batch 5, exact, mse, l2", settings(batch: 5, l2: 0.02)),
        ("batch 7 with a partial last batch, classic", settings(rule: .classic, batch: 7)),
        ("batch 4, cross-entropy, scheduled lr", settings(loss: .crossEntropy, batch: 4, lr: (0.4, 0.0))),
        ("per-example, momentum", settings(lr: (0.1, 0.1), momentum: 0.9)),
        ("batch 6, Nesterov momentum, l2, cross-entropy", settings(loss: .crossEntropy, batch: 6, l2: 0.01, lr: (0.2, 0.05), momentum: 0.8, nesterov: true)),
        ("batch 5, classic rule, momentum", settings(rule: .classic, batch: 5, momentum: 0.5)),
    ]

    /// One epoch through `KernelRun`, as the trainer runs it: doc 001's per-example kernels or
    /// the kernels for any depth, whichever the settings call for.
    static func kernelEpoch(_ start: Network, data: Dataset, order: [Int32], settings s: StepSettings,
                            shouldStop: @escaping () -> Bool = { false }) -> (network: Network, loss: Double, hits: Int, seen: Int) {
        let run = KernelRun(start, batchSize: s.batchSize, momentum: s.momentum > 0, velocity: nil, dropout: 0, seed: 1)
        let inputs = SparseInputs(images: data.images, count: data.count, pixels: 784, table: s.inputTable)
        let (loss, hits, seen) = run.epoch(1, inputs: inputs, labels: data.labels, order: order, settings: s,
                                           progress: { _ in }, shouldStop: shouldStop)
        var n = start
        run.store(into: &n)
        return (n, loss, hits, seen)
    }

    @Test(arguments: 0..<cases.count)
    func epochMatchesThePlainFormulas(index: Int) {
        let (name, s) = Self.cases[index]
        // Some examples are no digit, trained toward TargetEncoding.nonDigitLevel.
        let data = Self.dataset(count: 30, nonDigits: true)
        #expect(data.labels.contains(Dataset.notADigit))
        let start = Network(inputCount: 784, hiddenCount: 12, outputCount: 10,
                            outputLayer: s.loss.outputLayer, seed: 5)
        var order = (0..<Int32(30)).map { $0 }
        var r = Random(seed: 9)
        r.shuffle(&order)
        let (fast, loss, _, seen) = Self.kernelEpoch(start, data: data, order: order, settings: s)
        let plain = Self.plainEpoch(start, data: data, order: order, settings: s)
        #expect(seen == 30)
        #expect(loss > 0 && loss.isFinite)
        #expect(fast != start)
        #expect(Self.maxDifference(fast, plain) < 2e-5, "\(name): kernels and plain formulas differ by \(Self.maxDifference(fast, plain))")
        if s.rule == .classic { #expect(fast.b_h.allSatisfy { $0 == 0 } && fast.b_o.allSatisfy { $0 == 0 }) }
    }

    /// With a learning rate of 0 the weights never move, so the running training accuracy must
    /// equal what the evaluator counts on the same images.
    @Test(arguments: [1, 5])
    func countsTheExamplesItGetsRightBeforeEachStep(batch: Int) {
        let data = Self.dataset(count: 200, seed: 11)
        let network = Network(inputCount: 784, hiddenCount: 16, outputCount: 10, seed: 4)
        let (_, _, hits, seen) = Self.kernelEpoch(network, data: data, order: (0..<200).map { $0 }, settings: Self.settings(batch: batch, lr: (0, 0)))
        let evaluation = Evaluation(network: network, inputs: .unit, data: data)
        #expect(seen == 200)
        #expect(evaluation.correct > 0)
        #expect(hits == evaluation.correct)
    }

    @Test(arguments: [1, 3])
    func stopsAtABatchBoundaryWhenAsked(batch: Int) {
        let data = Self.dataset(count: 20)
        nonisolated(unsafe) var calls = 0
        let (_, _, _, seen) = Self.kernelEpoch(Network(inputCount: 784, hiddenCount: 8, outputCount: 10, seed: 1), data: data,
                                               order: (0..<20).map { $0 }, settings: Self.settings(batch: batch),
                                               shouldStop: { calls += 1; return calls > 2 })
        #expect(seen == 2 * batch)
    }

    @Test(arguments: [OutputLayer.sigmoid, .softmax])
    func predictMatchesFeedforward(output: OutputLayer) {
        let data = Self.dataset(count: 12)
        let n = Reference.network(inputs: 784, hidden: 16, outputs: 10, output: output)
        let table = InputScaling.unit.table
        let scores = Kernels.predict(n, images: data.images, count: 12, table: table)
        for i in 0..<12 {
            let o = n.feedforward(data.image(i).map { table[Int($0)] }).o
            for k in 0..<10 { #expect(abs(scores[i * 10 + k] - o[k]) < 1e-5) }
        }
    }
}

@testable import DigitsKernels
import Testing
@testable import DigitsKit

/// The kernels for any depth (PackedLayers) against doc 004's reference loop, Network.backprop
/// and update, one epoch at a time: depths, widths (whole, partial and odd vector blocks),
/// activations, losses, rules, batch sizes (per example, the 4-row blocks and their remainders),
/// momentum, weight decay and dropout.
@Suite("Kernels for any depth")
struct DeepKernelsTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let sizes: [Int]
        let activation: HiddenActivation
        let settings: StepSettings
        var dropout: Float = 0
        var testDescription: String {
            "\(Network.layerSizes(sizes)) \(activation) batch \(settings.batchSize) \(settings.rule) \(settings.loss)"
                + (settings.momentum > 0 ? " momentum" : "") + (dropout > 0 ? " dropout \(dropout)" : "")
        }
    }

    static let cases: [Case] = [
        Case(sizes: [784, 12, 10], activation: .sigmoid, settings: KernelsTests.settings(), dropout: 0.25),
        Case(sizes: [784, 30, 20, 10], activation: .sigmoid, settings: KernelsTests.settings(batch: 1)),
        Case(sizes: [784, 30, 20, 10], activation: .relu, settings: KernelsTests.settings(loss: .crossEntropy, batch: 5, l2: 0.01, lr: (0.1, 0.02))),
        Case(sizes: [784, 17, 9, 25, 10], activation: .tanh, settings: KernelsTests.settings(loss: .crossEntropy, batch: 8, lr: (0.05, 0.05))),
        Case(sizes: [784, 40, 24, 10], activation: .sigmoid, settings: KernelsTests.settings(rule: .classic, batch: 7)),
        Case(sizes: [784, 33, 10], activation: .relu, settings: KernelsTests.settings(loss: .crossEntropy, batch: 4, lr: (0.05, 0.05), momentum: 0.9, nesterov: true)),
        Case(sizes: [784, 24, 16, 10], activation: .tanh, settings: KernelsTests.settings(batch: 6, l2: 0.02, lr: (0.2, 0.2), momentum: 0.5)),
        Case(sizes: [784, 48, 32, 10], activation: .relu, settings: KernelsTests.settings(loss: .crossEntropy, batch: 9, lr: (0.05, 0.05)), dropout: 0.3),
        Case(sizes: [784, 20, 20, 10], activation: .sigmoid, settings: KernelsTests.settings(batch: 1), dropout: 0.5),
        // Per example with weight decay and doc 001's rule: the fused backward pass and update.
        Case(sizes: [784, 20, 12, 10], activation: .tanh, settings: KernelsTests.settings(rule: .classic, batch: 1, l2: 0.02, lr: (0.2, 0.1))),
        // An inner dimension over 256 (two chunks of the blocked product), and a 4-row batch remainder.
        Case(sizes: [784, 300, 27, 10], activation: .relu, settings: KernelsTests.settings(loss: .crossEntropy, batch: 10, lr: (0.05, 0.05))),
    ]

    @Test(arguments: cases)
    func epochMatchesDoc004sReferenceLoop(_ c: Case) {
        let s = c.settings
        let data = KernelsTests.dataset(count: 30, nonDigits: true)
        let start = Network(sizes: c.sizes, hiddenActivation: c.activation, outputLayer: s.loss.outputLayer, seed: 5)
        var order = (0..<Int32(30)).map { $0 }
        var r = Random(seed: 9)
        r.shuffle(&order)
        let packed = PackedLayers(start)
        let inputs = SparseInputs(images: data.images, count: 30, pixels: 784, table: s.inputTable)
        let dropout = c.dropout > 0 ? Dropout(rate: c.dropout, seed: 77) : nil
        let (loss, _, seen) = Kernels.trainEpoch(packed, inputs: inputs, labels: data.labels, order: order,
                                                 settings: s.kernel(outputs: 10), epoch: 3, dropout: dropout,
                                                 momentum: s.momentum > 0 ? LayerMomentum(for: packed) : nil,
                                                 progress: { _ in }, shouldStop: { false })
        var fast = start
        packed.store(into: &fast)
        // The reference drops the same units: the mask of example `position`, layer by layer.
        let masks: ((Int) -> [[Float]])? = dropout.map { d in
            { position in start.hiddenSizes.enumerated().map { l, n in (0..<n).map { d.factor(epoch: 3, position: position, layer: l, unit: $0) } } }
        }
        let plain = KernelsTests.plainEpoch(start, data: data, order: order, settings: s, masks: masks)
        #expect(seen == 30)
        #expect(loss > 0 && loss.isFinite)
        #expect(KernelsTests.maxDifference(fast, start) > 1e-3, "the kernels did not train")
        let difference = KernelsTests.maxDifference(fast, plain)
        #expect(difference < 5e-5, "\(c.testDescription): kernels and doc 004's loop differ by \(difference)")
        if s.rule == .classic { #expect(fast.layers.allSatisfy { $0.b.allSatisfy { $0 == 0 } }) }
    }

    /// Cases wide enough that a team really cuts every product: the first layer in strips of 8
    /// vectors, the dense products at multiples of 3, the activations' rows.
    static let teamCases: [(Case, threads: Int)] = [
        (Case(sizes: [784, 136, 52, 10], activation: .relu,
              settings: KernelsTests.settings(loss: .crossEntropy, batch: 10, lr: (0.05, 0.05), momentum: 0.9)), 2),
        (Case(sizes: [784, 200, 100, 10], activation: .sigmoid, settings: KernelsTests.settings(rule: .classic, batch: 7), dropout: 0.2), 3),
        (Case(sizes: [784, 150, 60, 10], activation: .tanh, settings: KernelsTests.settings(batch: 1, l2: 0.01, lr: (0.1, 0.1))), 2),
    ]

    /// Threads share each product by output ranges, so the model is the same bit for bit
    /// whatever the thread count.
    @Test(arguments: teamCases)
    func aTeamTrainsTheSameModelBitForBit(_ c: Case, threads: Int) {
        let s = c.settings
        let data = KernelsTests.dataset(count: 30, nonDigits: true)
        let start = Network(sizes: c.sizes, hiddenActivation: c.activation, outputLayer: s.loss.outputLayer, seed: 5)
        let inputs = SparseInputs(images: data.images, count: 30, pixels: 784, table: s.inputTable)
        let order = (0..<Int32(30)).reversed().map { $0 }
        func trained(_ team: Team?) -> Network {
            let packed = PackedLayers(start)
            _ = Kernels.trainEpoch(packed, inputs: inputs, labels: data.labels, order: order, settings: s.kernel(outputs: 10), epoch: 2,
                                   dropout: c.dropout > 0 ? Dropout(rate: c.dropout, seed: 3) : nil,
                                   momentum: s.momentum > 0 ? LayerMomentum(for: packed) : nil, team: team,
                                   progress: { _ in }, shouldStop: { false })
            var n = start
            packed.store(into: &n)
            return n
        }
        let team = Team(size: threads)
        defer { team.stop() }
        #expect(team.size == threads)
        let alone = trained(nil)
        #expect(KernelsTests.maxDifference(alone, start) > 1e-3, "the kernels did not train")
        #expect(trained(team) == alone)
    }

    /// `split` cuts 0..<count into one range per thread, at multiples of the block, in order,
    /// each range done once.
    @Test func splitCoversTheRangeOncePerPart() {
        let team = Team(size: 3)
        defer { team.stop() }
        let seen = UnsafeMutablePointer<Range<Int>>.allocate(capacity: 3)
        defer { seen.deallocate() }
        for (count, multiple) in [(100, 3), (40, 8), (24, 8), (5, 1)] {
            seen.initialize(repeating: 0..<0, count: 3)
            Kernels.split(team, count, multiple: multiple) { range in
                let part = range.lowerBound == 0 ? 0 : range.upperBound == count ? 2 : 1
                seen[part] = range
            }
            let calls = (0..<3).filter { !seen[$0].isEmpty }.count
            #expect(calls == 3, "\(count) by \(multiple)")
            #expect(seen[0].lowerBound == 0 && seen[0].upperBound == seen[1].lowerBound && seen[1].upperBound == seen[2].lowerBound)
            #expect(seen[2].upperBound == count && seen[1].lowerBound % multiple == 0 && seen[2].lowerBound % multiple == 0)
        }
        var whole: Range<Int>?
        Kernels.split(team, 5, multiple: 3) { whole = $0 }  // one block of 3: too little to cut
        #expect(whole == 0..<5)
        team.stop()  // a stopped team does the whole range on the caller's thread
        var after: Range<Int>?
        Kernels.split(team, 100, multiple: 3) { after = $0 }
        #expect(team.size == 1 && after == 0..<100)
    }

    /// Dropout drops about p of the units, keeps the rest at 1/(1 − p), and depends only on
    /// (seed, epoch, position, layer, unit).
    @Test func dropoutDropsAboutPAndIsAFunctionOfItsInputs() {
        let d = Dropout(rate: 0.3, seed: 5)
        let factors = (0..<20_000).map { d.factor(epoch: 1, position: $0 / 100, layer: 0, unit: $0 % 100) }
        let dropped = factors.filter { $0 == 0 }.count
        #expect(abs(Double(dropped) / 20_000 - 0.3) < 0.015)
        #expect(factors.allSatisfy { $0 == 0 || $0 == 1 / Float(0.7) })
        #expect(factors == (0..<20_000).map { d.factor(epoch: 1, position: $0 / 100, layer: 0, unit: $0 % 100) })
        let otherEpoch = (0..<20_000).map { d.factor(epoch: 2, position: $0 / 100, layer: 0, unit: $0 % 100) }
        #expect(factors != otherEpoch)
    }

    @Test(arguments: [(HiddenActivation.relu, OutputLayer.softmax), (.tanh, .sigmoid), (.sigmoid, .softmax)])
    func predictMatchesFeedforwardAtDepth(activation: HiddenActivation, output: OutputLayer) {
        // 70 images: one whole batch of 64 and a remainder of 6.
        let data = KernelsTests.dataset(count: 70)
        let n = Reference.network(sizes: [784, 20, 13, 10], activation: activation, output: output, seed: 4)
        let scaled = Network(layers: n.layers.map { Layer(inputCount: $0.inputCount, outputCount: $0.outputCount, W: $0.W.map { $0 * 0.1 }, b: $0.b) },
                             hiddenActivation: activation, outputLayer: output)
        let table = InputScaling.unit.table
        let scores = Kernels.predict(scaled, images: data.images, count: 70, table: table)
        var largest: Float = 0
        for i in 0..<70 {
            let o = scaled.feedforward(data.image(i).map { table[Int($0)] }).o
            for k in 0..<10 { largest = max(largest, abs(scores[i * 10 + k] - o[k])) }
        }
        #expect(largest < 2e-5)
    }
}

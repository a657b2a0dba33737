import DigitsKernels

// Between the documents' types (Network, Loss, Rule, TargetEncoding) and the kernels' packed
// layout and plain numbers: the kernels target knows nothing of this module, so that it alone
// can be built unchecked.

/// The settings a training step needs, in the documents' terms.
struct StepSettings {
    /// The learning rate at the first step of the epoch; it moves in a straight line to
    /// `learningRateEnd` at the last (a schedule, one segment per epoch).
    var learningRate: Float
    var learningRateEnd: Float
    /// Momentum μ (0: none) and whether the step looks ahead (Nesterov).
    var momentum: Float = 0
    var nesterov = false
    var l2: Float
    var batchSize: Int
    var rule: Rule
    var loss: Loss
    var inputTable: [Float]
    var targets: TargetEncoding

    /// The same, resolved to the numbers the kernels use, for a network of `outputs` outputs.
    func kernel(outputs: Int) -> KernelSettings {
        KernelSettings(learningRate: learningRate, learningRateEnd: learningRateEnd, momentum: momentum, nesterov: nesterov,
                       l2: l2, batchSize: batchSize, exactRule: rule == .exact, crossEntropy: loss == .crossEntropy,
                       targetHigh: targets.high, targetLow: targets.low, nonDigitLevel: targets.nonDigitLevel(count: outputs, loss: loss))
    }
}

extension PackedNetwork {
    /// `n`'s parameters in the kernels' layout: doc 001's network of one sigmoid hidden layer.
    convenience init(_ n: Network) {
        precondition(n.layers.count == 2 && n.hiddenActivation == .sigmoid, "the kernels take one sigmoid hidden layer")
        self.init(inputCount: n.inputCount, hiddenCount: n.layers[0].outputCount, outputCount: n.outputCount,
                  softmax: n.outputLayer == .softmax)
        load(n)
    }

    func load(_ n: Network) {
        load(W_ih: n.layers[0].W, W_ho: n.layers[1].W, b_h: n.layers[0].b, b_o: n.layers[1].b)
    }

    /// Copies the parameters back out into `n`'s plain layout.
    func store(into n: inout Network) {
        (n.layers[0].W, n.layers[1].W, n.layers[0].b, n.layers[1].b) = parameters()
    }
}

extension PackedLayers {
    /// `n`'s parameters in the any-depth kernels' layout.
    convenience init(_ n: Network) {
        self.init(sizes: n.sizes, activation: n.hiddenActivation.kernel, softmax: n.outputLayer == .softmax)
        load(n)
    }

    func load(_ n: Network) {
        for (l, layer) in n.layers.enumerated() { load(layer: l, W: layer.W, b: layer.b) }
    }

    /// Copies the parameters back out into `n`'s plain layout.
    func store(into n: inout Network) {
        for l in n.layers.indices { (n.layers[l].W, n.layers[l].b) = parameters(layer: l) }
    }
}

extension HiddenActivation {
    var kernel: KernelActivation {
        switch self {
        case .sigmoid: return .sigmoid
        case .tanh: return .tanh
        case .relu: return .relu
        }
    }
}

/// The kernels a training run uses: doc 001's network of one sigmoid hidden layer, trained
/// example by example without momentum or dropout (doc 001's way, and `make train`'s), on its
/// own kernels, which make the same model bit for bit as before deeper networks existed; every
/// other run on the kernels for any depth, whose mini-batches are matrix products.
final class KernelRun {
    private enum Kind {
        case single(PackedNetwork, workspace: Workspace)
        case layers(PackedLayers, momentum: LayerMomentum?, dropout: Dropout?, team: Team?)
    }
    private let kind: Kind

    /// Kernels for `network`, momentum's velocity starting at `velocity` (or zero) when `momentum`.
    /// `threads` above 1 share each product of the kernels for any depth.
    init(_ network: Network, batchSize: Int, momentum: Bool, velocity: Network?, dropout: Float, seed: UInt64, threads: Int = 1) {
        if network.layers.count == 2 && network.hiddenActivation == .sigmoid && dropout == 0 && batchSize == 1 && !momentum {
            let p = PackedNetwork(network)
            kind = .single(p, workspace: Workspace(for: p))
        } else {
            let p = PackedLayers(network)
            let m = momentum ? LayerMomentum(for: p) : nil
            if let velocity, let m { m.velocity.load(velocity) }
            kind = .layers(p, momentum: m, dropout: dropout > 0 ? Dropout(rate: dropout, seed: seed ^ 0xD209_0A7E_5EED_0001) : nil,
                           team: threads > 1 ? Team(size: threads) : nil)
        }
    }

    deinit {
        if case .layers(_, _, _, let team?) = kind { team.stop() }
    }

    /// One epoch (epoch `epoch`, 1-based) over `order`: summed loss, hits, examples seen.
    func epoch(_ epoch: Int, inputs: SparseInputs, labels: [UInt8], order: [Int32], settings: StepSettings,
               progress: (Int) -> Void, shouldStop: () -> Bool) -> (loss: Double, hits: Int, seen: Int) {
        switch kind {
        case .single(let p, let workspace):
            return Kernels.trainEpoch(p, inputs: inputs, labels: labels, order: order, settings: settings.kernel(outputs: p.outputCount),
                                      workspace: workspace, progress: progress, shouldStop: shouldStop)
        case .layers(let p, let momentum, let dropout, let team):
            return Kernels.trainEpoch(p, inputs: inputs, labels: labels, order: order, settings: settings.kernel(outputs: p.sizes.last!),
                                      epoch: epoch, dropout: dropout, momentum: momentum, team: team, progress: progress, shouldStop: shouldStop)
        }
    }

    /// The trained parameters, into `n`.
    func store(into n: inout Network) {
        switch kind {
        case .single(let p, _): p.store(into: &n)
        case .layers(let p, _, _, _): p.store(into: &n)
        }
    }

    /// Momentum's velocity in `n`'s shape, when the run has momentum.
    func velocity(shapedAs n: Network) -> Network? {
        var v = n
        switch kind {
        case .layers(_, let momentum?, _, _): momentum.velocity.store(into: &v)
        default: return nil
        }
        return v
    }
}

extension Kernels {
    /// The output layer's values for every image: count × outputs scores, row-major.
    static func predict(_ network: Network, images: [UInt8], count: Int, table: [Float]) -> [Float] {
        if network.layers.count == 2 && network.hiddenActivation == .sigmoid {
            return predict(PackedNetwork(network), images: images, count: count, table: table)
        }
        return predict(PackedLayers(network), images: images, count: count, table: table)
    }
}

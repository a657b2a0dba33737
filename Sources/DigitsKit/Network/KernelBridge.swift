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
    /// `n`'s parameters in the kernels' layout.
    convenience init(_ n: Network) {
        self.init(inputCount: n.inputCount, hiddenCount: n.hiddenCount, outputCount: n.outputCount, softmax: n.outputLayer == .softmax)
        load(n)
    }

    func load(_ n: Network) {
        load(W_ih: n.W_ih, W_ho: n.W_ho, b_h: n.b_h, b_o: n.b_o)
    }

    /// Copies the parameters back out into `n`'s plain layout.
    func store(into n: inout Network) {
        (n.W_ih, n.W_ho, n.b_h, n.b_o) = parameters()
    }
}

extension MomentumState {
    /// Zero velocity for `p`, or the one given (from a checkpoint, in the plain layout).
    convenience init(for p: PackedNetwork, velocity: Network?) {
        self.init(for: p)
        if let velocity { self.velocity.load(velocity) }
    }
}

extension Kernels {
    /// One epoch of training (see the kernels' `trainEpoch`), with the settings in the
    /// documents' terms.
    static func trainEpoch(_ p: PackedNetwork, inputs: SparseInputs, labels: [UInt8], order: [Int32],
                           settings s: StepSettings, workspace ws: Workspace, helper: Workspace, threads: Int = 2,
                           momentum: MomentumState? = nil,
                           progress: (Int) -> Void, shouldStop: () -> Bool) -> (loss: Double, hits: Int, seen: Int) {
        trainEpoch(p, inputs: inputs, labels: labels, order: order, settings: s.kernel(outputs: p.outputCount), workspace: ws,
                   helper: helper, threads: threads, momentum: momentum, progress: progress, shouldStop: shouldStop)
    }

    /// The output layer's values for every image: count × outputs scores, row-major.
    static func predict(_ network: Network, images: [UInt8], count: Int, table: [Float]) -> [Float] {
        predict(PackedNetwork(network), images: images, count: count, table: table)
    }
}

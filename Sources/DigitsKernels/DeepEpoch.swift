// One epoch of training for a network of any depth: each batch's forward pass, deltas and step,
// in example order, with weight decay and momentum as in the one-hidden-layer kernels.

/// Momentum's state for a network of any depth: the velocity of every parameter and the buffer a
/// batch's step is gathered in.
package final class LayerMomentum {
    package let velocity: PackedLayers
    package let step: PackedLayers

    package init(for p: PackedLayers) {
        velocity = PackedLayers(shapedAs: p)
        step = PackedLayers(shapedAs: p)
    }
}

extension Kernels {
    /// W −= α·λ·W on every layer's weights, not the biases (doc 000 §6's decay term).
    static func decay(_ p: PackedLayers, rate: Float, l2: Float) {
        guard l2 != 0 else { return }
        let factor = Vector(repeating: 1 - rate * l2)
        for l in 0..<p.layerCount {
            for i in 0..<(p.sizes[l] * p.widths[l]) { p.W[l][i] *= factor }
        }
    }

    /// The momentum step once the batch's step G is in `m.step` (`applyMomentum`'s formula, over
    /// every layer): G −= α·λ·W on the weights, V ← μV + G, W ← W + V or W + μV + G.
    static func applyMomentum(_ p: PackedLayers, _ m: LayerMomentum, mu: Float, nesterov: Bool, decay: Float) {
        for l in 0..<p.layerCount {
            combineMomentum(p.W[l], m.velocity.W[l], m.step.W[l], count: p.sizes[l] * p.widths[l], mu: mu, nesterov: nesterov, decay: decay)
            combineMomentum(p.b[l], m.velocity.b[l], m.step.b[l], count: p.widths[l], mu: mu, nesterov: nesterov, decay: 0)
        }
    }

    /// Trains a network of any depth over `order` once, updating `p` in place, a mini-batch of
    /// `settings.batchSize` at a time (1: per example, doc 001): all the batch's deltas against
    /// the same weights, then its step. Returns the summed loss, the hits before each step, and
    /// how many examples were seen; stops at a batch boundary when `shouldStop` says so.
    package static func trainEpoch(_ p: PackedLayers, inputs: SparseInputs, labels: [UInt8], order: [Int32], settings s: KernelSettings,
                                   epoch: Int, dropout: Dropout?, momentum: LayerMomentum?, team: Team? = nil,
                                   progress: (Int) -> Void, shouldStop: () -> Bool) -> (loss: Double, hits: Int, seen: Int) {
        let K = max(1, s.batchSize)
        let buffers = LayerBuffers(for: p, rows: K, classic: !s.exactRule)
        let rateStep = order.isEmpty ? 0 : (s.learningRateEnd - s.learningRate) / Float(order.count)
        return withEpochData(inputs, labels, order) { data in
            var (lossSum, hits, seen, start) = (0.0, 0, 0, 0)
            while start < order.count {
                if shouldStop() { break }
                let end = min(start + K, order.count)
                let lr = s.learningRate + rateStep * Float(start)
                forwardBatch(p, data, positions: start..<end, buffers, dropout: dropout, epoch: epoch, team: team)
                if K == 1 && momentum == nil {
                    let (loss, hit) = exampleStep(p, data, position: start, rate: lr, s, buffers, team: team)
                    (lossSum, hits, seen, start) = (lossSum + loss, hits + hit, seen + 1, end)
                    if seen % 2048 == 0 { progress(seen) }
                    continue
                }
                let (loss, batchHits) = backwardBatch(p, data, positions: start..<end, s, buffers, team: team)
                (lossSum, hits) = (lossSum + loss, hits + batchHits)
                let scale = -lr / Float(end - start)
                if let momentum {
                    addBatchStep(p, into: momentum.step, data, positions: start..<end, scale: scale, useBias: s.exactRule, buffers, team: team)
                    applyMomentum(p, momentum, mu: s.momentum, nesterov: s.nesterov, decay: lr * s.l2)
                } else {
                    decay(p, rate: lr, l2: s.l2)
                    addBatchStep(p, into: p, data, positions: start..<end, scale: scale, useBias: s.exactRule, buffers, team: team)
                }
                let before = seen
                (seen, start) = (seen + end - start, end)
                if seen / 2048 != before / 2048 { progress(seen) }
            }
            progress(seen)
            return (lossSum, hits, seen)
        }
    }

    /// Raw views of an epoch's inputs for the length of `body`.
    static func withEpochData<R>(_ inputs: SparseInputs, _ labels: [UInt8], _ order: [Int32], _ body: (EpochData) -> R) -> R {
        inputs.indices.withUnsafeBufferPointer { indices in
            inputs.values.withUnsafeBufferPointer { values in
                inputs.offsets.withUnsafeBufferPointer { offsets in
                    labels.withUnsafeBufferPointer { labels in
                        order.withUnsafeBufferPointer { order in
                            body(EpochData(indices: indices.baseAddress!, values: values.baseAddress!, offsets: offsets.baseAddress!,
                                           labels: labels.baseAddress!, order: order.baseAddress!))
                        }
                    }
                }
            }
        }
    }

    /// The output layer's values for every image, a batch of 64 at a time through the same
    /// forward pass as training (no dropout): count × outputs scores, row-major.
    package static func predict(_ p: PackedLayers, images: [UInt8], count: Int, table: [Float]) -> [Float] {
        predict(p, inputs: SparseInputs(images: images, count: count, pixels: p.sizes[0], table: table))
    }

    /// The output layer's values for every image of `inputs` (its z instead when `logits`):
    /// inputs.count × outputs scores, row-major, 64 images to a batch.
    package static func predict(_ p: PackedLayers, inputs: SparseInputs, logits: Bool = false) -> [Float] {
        let count = inputs.count
        let O = p.sizes[p.layerCount], wL = p.widths[p.layerCount - 1]
        let order = (0..<Int32(count)).map { $0 }
        let labels = [UInt8](repeating: 0, count: count)
        let buffers = LayerBuffers(for: p, rows: min(64, max(count, 1)), classic: false)
        var scores = [Float](repeating: 0, count: count * O)
        withEpochData(inputs, labels, order) { data in
            var start = 0
            while start < count {
                let end = min(start + 64, count)
                forwardBatch(p, data, positions: start..<end, buffers, dropout: nil, epoch: 0, logits: logits)
                for r in 0..<(end - start) {
                    let o = floats(buffers.a[p.layerCount - 1] + r * wL)
                    for k in 0..<O { scores[(start + r) * O + k] = o[k] }
                }
                start = end
            }
        }
        return scores
    }
}

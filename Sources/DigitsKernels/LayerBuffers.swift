/// What a mini-batch step keeps of every layer, one example per row: the activations, the
/// activation's derivative (times the dropout mask), the deltas and the raw errors the classic
/// rule sends down. Allocated once per run.
package final class LayerBuffers {
    package let rows: Int
    /// aˡ of weight layer l's units (the last one the output layer's values).
    package let a: [UnsafeMutablePointer<Vector>]
    /// f′(zˡ)·mask for the hidden layers.
    package let derivative: [UnsafeMutablePointer<Vector>]
    /// δˡ = ∂J/∂zˡ (or doc 001's rule's eˡ ⊙ f′(zˡ)).
    package let delta: [UnsafeMutablePointer<Vector>]
    /// What layer l sends down: δˡ for the gradient, the raw error under doc 001's rule.
    package let back: [UnsafeMutablePointer<Vector>]
    /// The signal sent down to a layer, before its derivative: rows of the widest layer.
    package let sent: UnsafeMutablePointer<Float>
    /// δ of the first layer, scaled for its sparse update.
    package let scaled: UnsafeMutablePointer<Vector>
    /// A layer's activations transposed (units × rows), for the gradient's product.
    package let transposed: UnsafeMutablePointer<Float>
    /// The batch's nonzero pixels by pixel (for the first layer's update): pixel i's are entries
    /// columnStart[i]..<columnStart[i + 1] of `columnRow` (which example) and `columnValue` (x).
    package let columnStart: UnsafeMutablePointer<Int32>
    package let columnRow: UnsafeMutablePointer<Int32>
    package let columnValue: UnsafeMutablePointer<Float>
    private let classic: Bool

    package init(for p: PackedLayers, rows: Int, classic: Bool) {
        self.rows = rows
        self.classic = classic
        a = p.widths.map { vectors(rows * $0) }
        derivative = p.widths.map { vectors(rows * $0) }
        delta = p.widths.map { vectors(rows * $0) }
        back = classic ? p.widths.map { vectors(rows * $0) } : delta
        let widest = p.widths.max()!
        sent = floats(vectors(rows * widest))
        scaled = vectors(rows * p.widths[0])
        transposed = floats(vectors(rows * widest))
        columnStart = .allocate(capacity: p.sizes[0] + 1)
        columnStart.initialize(repeating: 0, count: p.sizes[0] + 1)
        columnRow = .allocate(capacity: rows * p.sizes[0])
        columnRow.initialize(repeating: 0, count: rows * p.sizes[0])
        columnValue = .allocate(capacity: rows * p.sizes[0])
        columnValue.initialize(repeating: 0, count: rows * p.sizes[0])
    }

    deinit {
        for p in a + derivative + delta { p.deallocate() }
        if classic { for p in back { p.deallocate() } }
        UnsafeMutableRawPointer(sent).assumingMemoryBound(to: Vector.self).deallocate()
        scaled.deallocate()
        UnsafeMutableRawPointer(transposed).assumingMemoryBound(to: Vector.self).deallocate()
        columnStart.deallocate()
        columnRow.deallocate()
        columnValue.deallocate()
    }
}

/// Dropout on the hidden layers (Hinton et al. 2012, inverted: a kept unit is scaled by 1/(1 − p)
/// in training, nothing changes at evaluation). Whether a unit is dropped is a hash of the seed,
/// the epoch, the example's place in the epoch, the layer and the unit: the same run drops the
/// same units whatever the batch size or thread count, so runs stay bit-reproducible.
package struct Dropout: Sendable {
    package let rate: Float
    package let seed: UInt64

    package init(rate: Float, seed: UInt64) {
        self.rate = rate
        self.seed = seed
    }

    /// The factor unit `unit` of layer `layer` gets for example `position` of epoch `epoch`:
    /// 0 (dropped) or 1/(1 − p).
    @inline(__always)
    package func factor(epoch: Int, position: Int, layer: Int, unit: Int) -> Float {
        var h = seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15
        h = (h ^ UInt64(position)) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ UInt64(layer << 20 | unit)) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 31
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 29
        let u = Float(h >> 40) * 0x1p-24
        return u < rate ? 0 : 1 / (1 - rate)
    }
}

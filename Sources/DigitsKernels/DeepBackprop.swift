#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Kernels {
    /// One example's δ at the outputs and what the layer below hears (Network.backprop): δ =
    /// (o − t) ⊙ o(1 − o) for squared error (doc 000 eq. 7), o − t for softmax with cross-entropy
    /// (doc 003); `back` is δ, or o − t under doc 001's rule. Returns the example's loss J and
    /// whether the largest output is its label (a picture that is no digit never is).
    @inline(__always)
    package static func outputDeltas(_ o: UnsafePointer<Float>, count O: Int, label: Int, _ s: KernelSettings,
                                     delta: UnsafeMutablePointer<Float>, back: UnsafeMutablePointer<Float>) -> (loss: Double, hit: Bool) {
        var best = 0
        for k in 1..<O where o[k] > o[best] { best = k }
        let isDigit = label < O
        let other = isDigit ? s.targetLow : s.nonDigitLevel
        var J = 0.0
        for k in 0..<O {
            let t = k == label ? s.targetHigh : other
            let diff = o[k] - t
            if !s.crossEntropy {
                J += 0.5 * Double(diff * diff)  // doc 000 eq. 3
                delta[k] = diff * (o[k] * (1 - o[k]))  // doc 000 eq. 7
            } else {
                if t != 0 { J -= Double(t) * log(Double(max(o[k], 1e-30))) }  // doc 003
                delta[k] = diff  // doc 003: δ = o − t
            }
            back[k] = s.exactRule ? delta[k] : diff
        }
        return (J, isDigit && best == label)
    }

    /// The batch's deltas, top layer down (doc 004 eq. BP1 and BP2): δᴸ from the loss, then for
    /// each layer below the signal sent through the weights above, S = back·Wᵀ, and δ = S ⊙ f′·m;
    /// what it sends on is δ, or S itself under doc 001's rule. Returns the summed loss and hits.
    static func backwardBatch(_ p: PackedLayers, _ data: EpochData, positions: Range<Int>, _ s: KernelSettings,
                              _ buffers: LayerBuffers) -> (loss: Double, hits: Int) {
        let K = positions.count, L = p.layerCount
        let wL = p.widths[L - 1]
        var (loss, hits) = (0.0, 0)
        for (r, position) in positions.enumerated() {
            let label = Int(data.labels[Int(data.order[position])])
            let (J, hit) = outputDeltas(floats(buffers.a[L - 1] + r * wL), count: p.sizes[L], label: label, s,
                                        delta: floats(buffers.delta[L - 1] + r * wL), back: floats(buffers.back[L - 1] + r * wL))
            loss += J
            hits += hit ? 1 : 0
        }
        for l in stride(from: L - 1, through: 1, by: -1) {
            let (w, below) = (p.widths[l], p.widths[l - 1])
            multiplyTransposed(buffers.back[l], rows: K, width: w, p.W[l], units: p.sizes[l], into: buffers.sent, sStride: below * 8)
            for r in 0..<K {
                let S = buffers.sent + r * below * 8
                let f = floats(buffers.derivative[l - 1] + r * below), d = floats(buffers.delta[l - 1] + r * below)
                let e = floats(buffers.back[l - 1] + r * below)
                for j in 0..<p.sizes[l] {
                    d[j] = S[j] * f[j]  // BP2
                    if !s.exactRule { e[j] = S[j] }
                }
            }
        }
        return (loss, hits)
    }

    /// Adds the batch's step, −α/K times its summed gradient (doc 004 eq. BP3 and BP4), into
    /// `target`: the weights themselves, or momentum's step buffer. The first layer's outer
    /// products run over each image's nonzero pixels only; biases only under the exact rule.
    static func addBatchStep(_ p: PackedLayers, into target: PackedLayers, _ data: EpochData, positions: Range<Int>,
                             scale: Float, useBias: Bool, _ buffers: LayerBuffers) {
        let K = positions.count
        for l in 1..<p.layerCount {
            // Aᵀ, so that the product reads each unit's values over the batch contiguously.
            let (a, stride) = (floats(buffers.a[l - 1]), p.widths[l - 1] * 8)
            for r in 0..<K {
                for i in 0..<p.sizes[l] { buffers.transposed[i * K + r] = a[r * stride + i] }
            }
            addProducts(buffers.transposed, rows: K, inner: p.sizes[l], buffers.delta[l], width: p.widths[l], scale: scale,
                        into: target.W[l])
        }
        // The first layer, over each image's nonzero pixels: a strip of four vectors of W's
        // columns at a time (784 × 128 bytes, kept in L2 while every example of the batch adds to it).
        let w = p.widths[0], k = Vector(repeating: scale)
        for v in 0..<K * w { buffers.scaled[v] = buffers.delta[0][v] * k }
        for v in stride(from: 0, to: w, by: 4) {
            for (r, position) in positions.enumerated() {
                let n = Int(data.order[position])
                let first = data.offsets[n], m = data.offsets[n + 1] - first
                addOuter(into: target.W[0], width: w, rows: data.indices + first, values: data.values + first, count: m,
                         buffers.scaled + r * w, columns: v..<min(v + 4, w))
            }
        }
        guard useBias else { return }
        for l in 0..<p.layerCount {
            let w = p.widths[l], k = Vector(repeating: scale)
            for r in 0..<K {
                for v in 0..<w { target.b[l][v] = target.b[l][v].addingProduct(buffers.delta[l][r * w + v], k) }
            }
        }
    }
}

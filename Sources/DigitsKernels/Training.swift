#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Kernels {
    /// Collects the nonzero inputs of one raw image: x_i = table[p_i]. Returns their count.
    @inline(__always)
    package static func gather(_ pixels: UnsafePointer<UInt8>, count: Int, table: UnsafePointer<Float>,
                               into ws: Workspace) -> Int {
        var m = 0
        for i in 0..<count {
            let x = table[Int(pixels[i])]
            ws.active[m] = Int32(i)
            ws.values[m] = x
            m += x != 0 ? 1 : 0
        }
        return m
    }

    /// Forward pass over `m` nonzero inputs: h = σ(W_ihᵀ·x + b_h), then o = σ(W_hoᵀ·h + b_o)
    /// or softmax (doc 001's forward). Rows of W_ih of zero inputs are never read; the sums of
    /// z_h stay in registers four vectors (32 hidden units) at a time.
    @inline(__always)
    package static func forward(_ p: PackedNetwork, active: UnsafePointer<Int32>, values: UnsafePointer<Float>,
                                count m: Int, _ ws: Workspace) {
        let w = p.width
        let h = ws.h
        // z_h = b_h + Σ_i x_i · W_ih[i, :]
        sparseRow(active, values, count: m, p.W_ih, width: w, bias: p.b_h, into: h, columns: 0..<w)
        // h = σ(z_h); padded units are held at 0.
        let hFloats = UnsafeMutableRawPointer(h).assumingMemoryBound(to: Float.self)
        sigmoidInPlace(hFloats, count: w * 8)
        for j in p.hiddenCount..<(w * 8) { hFloats[j] = 0 }
        // z_o[k] = b_o[k] + W_hoᵀ[k, :] · h
        let O = p.outputCount
        for k in 0..<O {
            ws.o[k] = p.b_o[k] + dot(p.W_hoT + k * w, h, count: w)
        }
        outputs(ws.o, count: O, softmax: p.softmax)
    }

    /// The output and hidden deltas of one example (Network.backprop): δ_o from the loss, the
    /// signal `back` sent to the hidden layer (δ_o, or o − t under doc 001's rule), and
    /// δ_h = (W_ho·back) ⊙ h ⊙ (1 − h) (doc 000 eq. 8, with W_ho before this step's update).
    /// Returns the example's loss J, and counts a hit in `ws` when the largest output is the label.
    @inline(__always)
    package static func deltas(_ p: PackedNetwork, label: Int, _ s: KernelSettings, _ ws: Workspace) -> Double {
        let (w, O) = (p.width, p.outputCount)
        let (J, hit) = outputDeltas(ws.o, count: O, label: label, s, delta: ws.delta_o, back: ws.back)
        // Training accuracy is over the digits: a picture that is no digit is neither a hit nor
        // counted (Trainer divides by the digits seen).
        if hit { ws.hits += 1 }
        for v in 0..<w {
            var sum = Vector()
            for k in 0..<O { sum = sum.addingProduct(Vector(repeating: ws.back[k]), p.W_hoT[k * w + v]) }
            let h = ws.h[v]
            ws.delta_h[v] = sum * h * (1 - h)
        }
        return J
    }

    /// W[i, :] += x_i · d for each of the `m` rows i listed, with d (`width` vectors) held in
    /// registers four vectors at a time: the rank-1 update x·dᵀ of docs 000 and 001, over the
    /// rows of nonzero inputs only; `columns` limits it to those vectors of each row.
    @inline(__always)
    package static func addOuter(into W: UnsafeMutablePointer<Vector>, width w: Int, rows: UnsafePointer<Int32>,
                                 values: UnsafePointer<Float>, count m: Int, _ d: UnsafePointer<Vector>, columns: Range<Int>? = nil) {
        let columns = columns ?? 0..<w
        var v = columns.lowerBound
        while v + 4 <= columns.upperBound {
            let (d0, d1, d2, d3) = (d[v], d[v + 1], d[v + 2], d[v + 3])
            for a in 0..<m {
                let row = W + Int(rows[a]) * w + v
                let x = Vector(repeating: values[a])
                row[0] = row[0].addingProduct(x, d0)
                row[1] = row[1].addingProduct(x, d1)
                row[2] = row[2].addingProduct(x, d2)
                row[3] = row[3].addingProduct(x, d3)
            }
            v += 4
        }
        while v < columns.upperBound {
            let d0 = d[v]
            for a in 0..<m {
                let row = W + Int(rows[a]) * w + v
                row[0] = row[0].addingProduct(Vector(repeating: values[a]), d0)
            }
            v += 1
        }
    }

    /// W −= α·λ·W on the weights, not the biases (doc 000 §6's decay term), taken after the
    /// gradient of the step is known and before it is applied.
    @inline(__always)
    package static func decay(_ p: PackedNetwork, rate: Float, l2: Float) {
        guard l2 != 0 else { return }
        let factor = Vector(repeating: 1 - rate * l2)
        for i in 0..<(p.inputCount * p.width) { p.W_ih[i] *= factor }
        for i in 0..<(p.outputCount * p.width) { p.W_hoT[i] *= factor }
    }

    /// P ← P + V or P + μV + G with V ← μV + G, G having taken the decay G −= decay·P first (0
    /// for biases); G is cleared for the next batch. The formula of `Momentum`, over vectors.
    @inline(__always)
    static func combineMomentum(_ P: UnsafeMutablePointer<Vector>, _ V: UnsafeMutablePointer<Vector>, _ G: UnsafeMutablePointer<Vector>,
                                count: Int, mu: Float, nesterov: Bool, decay: Float) {
        let (mu, minusDecay) = (Vector(repeating: mu), Vector(repeating: -decay))
        for i in 0..<count {
            var g = G[i]
            if decay != 0 { g = g.addingProduct(minusDecay, P[i]) }
            let v = g.addingProduct(V[i], mu)
            V[i] = v
            P[i] += nesterov ? g.addingProduct(v, mu) : v
            G[i] = Vector()
        }
    }

    /// Trains doc 001's network over `order` (indices into `inputs`) once, example by example
    /// (doc 001), updating `p` in place: each example's forward pass and deltas, then
    /// W_hoᵀ −= α·δ_o·hᵀ, W_ih −= α·x·δ_hᵀ over the rows of its nonzero pixels, and the biases
    /// under the exact rule (doc 000 eq. 10, 12), with weight decay first. Returns the summed
    /// loss, how many examples the network got right before their step, and how many were seen;
    /// stops early, between examples, when `shouldStop` says so. (Mini-batches, momentum and
    /// deeper networks train on the kernels for any depth, `trainEpoch(_: PackedLayers, …)`.)
    package static func trainEpoch(_ p: PackedNetwork, inputs: SparseInputs, labels: [UInt8], order: [Int32],
                                   settings s: KernelSettings, workspace ws: Workspace,
                                   progress: (Int) -> Void, shouldStop: () -> Bool) -> (loss: Double, hits: Int, seen: Int) {
        ws.hits = 0
        let (w, O, useBias) = (p.width, p.outputCount, s.exactRule)
        let rateStep = order.isEmpty ? 0 : (s.learningRateEnd - s.learningRate) / Float(order.count)
        return withEpochData(inputs, labels, order) { data in
            var (lossSum, seen) = (0.0, 0)
            while seen < order.count {
                if shouldStop() { break }
                let lr = s.learningRate + rateStep * Float(seen)
                let n = Int(data.order[seen])
                let first = data.offsets[n], m = data.offsets[n + 1] - first
                let active = data.indices + first, values = data.values + first
                forward(p, active: active, values: values, count: m, ws)
                lossSum += deltas(p, label: Int(data.labels[n]), s, ws)
                decay(p, rate: lr, l2: s.l2)
                // W_hoᵀ[k, :] −= α·δ_o[k]·h, b_o −= α·δ_o  (doc 000 eq. 10, 12)
                for k in 0..<O {
                    let step = Vector(repeating: -lr * ws.delta_o[k])
                    let row = p.W_hoT + k * w
                    for v in 0..<w { row[v] = row[v].addingProduct(step, ws.h[v]) }
                    if useBias { p.b_o[k] -= lr * ws.delta_o[k] }
                }
                // W_ih[i, :] −= α·x_i·δ_h over the nonzero inputs' rows, b_h −= α·δ_h
                let rate = Vector(repeating: -lr)
                let step = ws.delta_h
                for v in 0..<w { step[v] *= rate }
                addOuter(into: p.W_ih, width: w, rows: active, values: values, count: m, step)
                if useBias { for v in 0..<w { p.b_h[v] += step[v] } }
                seen += 1
                if seen % 2048 == 0 { progress(seen) }
            }
            progress(seen)
            return (lossSum, ws.hits, seen)
        }
    }
}

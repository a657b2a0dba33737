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
                              _ buffers: LayerBuffers, team: Team? = nil) -> (loss: Double, hits: Int) {
        let result = topDeltas(p, data, positions: positions, s, buffers)
        for l in stride(from: p.layerCount - 1, through: 1, by: -1) {
            let (w, below) = (p.widths[l], p.widths[l - 1])
            split(team, p.sizes[l], multiple: 3) { part in
                multiplyTransposed(buffers.back[l], rows: positions.count, width: w, p.W[l], units: p.sizes[l], into: buffers.sent,
                                   sStride: below * 8, part: part)
            }
            split(team, positions.count, multiple: 1) { rows in deltasBelow(p, layer: l, rows: rows, s, buffers) }
        }
        return result
    }

    /// δᴸ of each example of the batch from its outputs and label (BP1), and what it sends down.
    static func topDeltas(_ p: PackedLayers, _ data: EpochData, positions: Range<Int>, _ s: KernelSettings,
                          _ buffers: LayerBuffers) -> (loss: Double, hits: Int) {
        let L = p.layerCount, wL = p.widths[L - 1]
        var (loss, hits) = (0.0, 0)
        for (r, position) in positions.enumerated() {
            let label = Int(data.labels[Int(data.order[position])])
            let (J, hit) = outputDeltas(floats(buffers.a[L - 1] + r * wL), count: p.sizes[L], label: label, s,
                                        delta: floats(buffers.delta[L - 1] + r * wL), back: floats(buffers.back[L - 1] + r * wL))
            loss += J
            hits += hit ? 1 : 0
        }
        return (loss, hits)
    }

    /// δ of layer l − 1 from the signal S that layer l sent down (in `buffers.sent`): δ = S ⊙ f′·m
    /// (BP2); what it sends on is δ, or S itself under doc 001's rule.
    @inline(__always)
    static func deltasBelow(_ p: PackedLayers, layer l: Int, rows: Range<Int>, _ s: KernelSettings, _ buffers: LayerBuffers) {
        let below = p.widths[l - 1]
        for r in rows {
            let S = buffers.sent + r * below * 8
            let f = floats(buffers.derivative[l - 1] + r * below), d = floats(buffers.delta[l - 1] + r * below)
            let e = floats(buffers.back[l - 1] + r * below)
            for j in 0..<p.sizes[l] {
                d[j] = S[j] * f[j]  // BP2
                if !s.exactRule { e[j] = S[j] }
            }
        }
    }

    /// One example's backward pass and step without momentum, each dense layer's backward
    /// product and update fused into one pass over its weights: row i gives S_i = W[i, :]·back
    /// from the weights before the step (as doc 001 takes its hidden errors) and then becomes
    /// W[i, :]·(1 − αλ) − α·a_i·δ. A layer too large for the caches is read once instead of twice.
    static func exampleStep(_ p: PackedLayers, _ data: EpochData, position: Int, rate lr: Float, _ s: KernelSettings,
                            _ buffers: LayerBuffers, team: Team? = nil) -> (loss: Double, hits: Int) {
        let result = topDeltas(p, data, positions: position..<position + 1, s, buffers)
        let keep = Vector(repeating: 1 - lr * s.l2)
        for l in stride(from: p.layerCount - 1, through: 1, by: -1) {
            let (w, a) = (p.widths[l], floats(buffers.a[l - 1]))
            let (delta, back) = (buffers.delta[l], buffers.back[l])
            split(team, p.sizes[l], multiple: 1) { units in
                for i in units {
                    let row = p.W[l] + i * w
                    let x = Vector(repeating: -lr * a[i])
                    var (s0, s1) = (Vector(), Vector())
                    var v = 0
                    while v + 2 <= w {
                        s0 = s0.addingProduct(row[v], back[v]); s1 = s1.addingProduct(row[v + 1], back[v + 1])
                        row[v] = (row[v] * keep).addingProduct(x, delta[v]); row[v + 1] = (row[v + 1] * keep).addingProduct(x, delta[v + 1])
                        v += 2
                    }
                    if v < w {
                        s0 = s0.addingProduct(row[v], back[v])
                        row[v] = (row[v] * keep).addingProduct(x, delta[v])
                    }
                    buffers.sent[i] = (s0 + s1).sum()
                }
            }
            deltasBelow(p, layer: l, rows: 0..<1, s, buffers)
        }
        // The first layer (decayed, then its sparse update) and the biases, as a batch of one.
        if s.l2 != 0 {
            for i in 0..<(p.sizes[0] * p.widths[0]) { p.W[0][i] *= keep }
        }
        addFirstLayerAndBiases(p, into: p, data, positions: position..<position + 1, scale: -lr, useBias: s.exactRule, buffers, team: team)
        return result
    }

    /// Adds the batch's step, −α/K times its summed gradient (doc 004 eq. BP3 and BP4), into
    /// `target`: the weights themselves, or momentum's step buffer. The first layer's outer
    /// products run over each image's nonzero pixels only; biases only under the exact rule.
    static func addBatchStep(_ p: PackedLayers, into target: PackedLayers, _ data: EpochData, positions: Range<Int>,
                             scale: Float, useBias: Bool, _ buffers: LayerBuffers, team: Team? = nil) {
        let K = positions.count
        for l in 1..<p.layerCount {
            // Aᵀ, so that the product reads each unit's values over the batch contiguously.
            let (a, stride) = (floats(buffers.a[l - 1]), p.widths[l - 1] * 8)
            split(team, p.sizes[l], multiple: 16) { units in
                for r in 0..<K {
                    for i in units { buffers.transposed[i * K + r] = a[r * stride + i] }
                }
            }
            split(team, p.widths[l], multiple: 3) { part in
                addProducts(buffers.transposed, rows: K, inner: p.sizes[l], buffers.delta[l], width: p.widths[l], scale: scale,
                            into: target.W[l], columns: part)
            }
        }
        addFirstLayerAndBiases(p, into: target, data, positions: positions, scale: scale, useBias: useBias, buffers, team: team)
    }

    /// The first layer's share of the step (over each image's nonzero pixels) and the biases'.
    static func addFirstLayerAndBiases(_ p: PackedLayers, into target: PackedLayers, _ data: EpochData, positions: Range<Int>,
                                       scale: Float, useBias: Bool, _ buffers: LayerBuffers, team: Team? = nil) {
        let K = positions.count
        let w = p.widths[0], k = Vector(repeating: scale)
        for v in 0..<K * w { buffers.scaled[v] = buffers.delta[0][v] * k }
        if K == 1 {
            let n = Int(data.order[positions.lowerBound])
            let first = data.offsets[n], m = data.offsets[n + 1] - first
            split(team, w, multiple: 4) { part in
                addOuter(into: target.W[0], width: w, rows: data.indices + first, values: data.values + first, count: m, buffers.scaled,
                         columns: part)
            }
        } else {
            let pixels = pixelColumns(p, data, positions: positions, buffers)
            split(team, w, multiple: 8) { part in addColumns(into: target.W[0], width: w, columns: part, pixels: pixels, buffers) }
        }
        guard useBias else { return }
        for l in 0..<p.layerCount {
            let w = p.widths[l], k = Vector(repeating: scale)
            for r in 0..<K {
                for v in 0..<w { target.b[l][v] = target.b[l][v].addingProduct(buffers.delta[l][r * w + v], k) }
            }
        }
    }

    /// Sorts the batch's nonzero pixels by pixel (a counting sort into `buffers.column…`), so
    /// that the first layer's update reads and writes each row of W once per batch. Returns the
    /// number of pixels.
    static func pixelColumns(_ p: PackedLayers, _ data: EpochData, positions: Range<Int>, _ buffers: LayerBuffers) -> Int {
        let I = p.sizes[0]
        let start = buffers.columnStart
        for i in 0...I { start[i] = 0 }
        for position in positions {
            let n = Int(data.order[position])
            for a in data.offsets[n]..<data.offsets[n + 1] { start[Int(data.indices[a]) + 1] += 1 }
        }
        for i in 0..<I { start[i + 1] += start[i] }
        for (r, position) in positions.enumerated() {
            let n = Int(data.order[position])
            for a in data.offsets[n]..<data.offsets[n + 1] {
                let i = Int(data.indices[a])
                let slot = Int(start[i])
                (buffers.columnRow[slot], buffers.columnValue[slot]) = (Int32(r), data.values[a])
                start[i] += 1
            }
        }
        // Each start was moved to the next pixel's: shift back.
        for i in stride(from: I, to: 0, by: -1) { start[i] = start[i - 1] }
        start[0] = 0
        return I
    }

    /// W[i, :] += Σ_r x_ri·(sδ)[r, :] for every pixel i, over the examples where it is not 0, for
    /// the vectors of `columns` (a thread's share), a strip of eight vectors at a time (four, then one, at the end of a row): the sums in
    /// registers, each row of W read and written once.
    static func addColumns(into W: UnsafeMutablePointer<Vector>, width w: Int, columns: Range<Int>, pixels: Int,
                           _ buffers: LayerBuffers) {
        var v = columns.lowerBound
        while v + 8 <= columns.upperBound {
            addColumnStrip8(into: W + v, width: w, pixels: pixels, buffers, d: buffers.scaled + v)
            v += 8
        }
        while v < columns.upperBound {
            let count = min(4, columns.upperBound - v)
            addColumnStrip(into: W + v, width: w, pixels: pixels, buffers, d: buffers.scaled + v, count: count)
            v += count
        }
    }

    @inline(__always)
    static func addColumnStrip8(into W: UnsafeMutablePointer<Vector>, width w: Int, pixels: Int, _ buffers: LayerBuffers,
                                d: UnsafePointer<Vector>) {
        let (start, rows, values) = (buffers.columnStart, buffers.columnRow, buffers.columnValue)
        for i in 0..<pixels where start[i + 1] > start[i] {
            var (c0, c1, c2, c3) = (Vector(), Vector(), Vector(), Vector())
            var (c4, c5, c6, c7) = (Vector(), Vector(), Vector(), Vector())
            for e in Int(start[i])..<Int(start[i + 1]) {
                let x = Vector(repeating: values[e])
                let dr = d + Int(rows[e]) * w
                c0 = c0.addingProduct(x, dr[0]); c1 = c1.addingProduct(x, dr[1])
                c2 = c2.addingProduct(x, dr[2]); c3 = c3.addingProduct(x, dr[3])
                c4 = c4.addingProduct(x, dr[4]); c5 = c5.addingProduct(x, dr[5])
                c6 = c6.addingProduct(x, dr[6]); c7 = c7.addingProduct(x, dr[7])
            }
            let row = W + i * w
            row[0] += c0; row[1] += c1; row[2] += c2; row[3] += c3
            row[4] += c4; row[5] += c5; row[6] += c6; row[7] += c7
        }
    }

    @inline(__always)
    static func addColumnStrip(into W: UnsafeMutablePointer<Vector>, width w: Int, pixels: Int, _ buffers: LayerBuffers,
                               d: UnsafePointer<Vector>, count: Int) {
        let (start, rows, values) = (buffers.columnStart, buffers.columnRow, buffers.columnValue)
        for i in 0..<pixels where start[i + 1] > start[i] {
            var (c0, c1, c2, c3) = (Vector(), Vector(), Vector(), Vector())
            for e in Int(start[i])..<Int(start[i + 1]) {
                let x = Vector(repeating: values[e])
                let dr = d + Int(rows[e]) * w
                c0 = c0.addingProduct(x, dr[0])
                if count > 1 { c1 = c1.addingProduct(x, dr[1]) }
                if count > 2 { c2 = c2.addingProduct(x, dr[2]) }
                if count > 3 { c3 = c3.addingProduct(x, dr[3]) }
            }
            let row = W + i * w
            row[0] += c0
            if count > 1 { row[1] += c1 }
            if count > 2 { row[2] += c2 }
            if count > 3 { row[3] += c3 }
        }
    }
}

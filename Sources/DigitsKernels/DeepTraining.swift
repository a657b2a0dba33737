#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Training a network of any depth (PackedLayers): Network.backprop and Network.update (doc 004)
// for a mini-batch at a time, the batch's work on each dense layer done as matrix products
// (GEMM.swift) and the first layer's over the images' nonzero pixels only.

extension Kernels {
    /// aˡ = f(zˡ)·m and f′(zˡ)·m over one row of n units in place (z in, a out), m the dropout
    /// factor; the row's padding is held at 0 in both.
    @inline(__always)
    static func activate(_ z: UnsafeMutablePointer<Float>, count n: Int, padded: Int, _ f: KernelActivation,
                         derivative d: UnsafeMutablePointer<Float>, dropout: Dropout?, epoch: Int, position: Int, layer: Int) {
        switch f {
        case .sigmoid:
            sigmoidInPlace(z, count: n)
            for j in 0..<n { d[j] = z[j] * (1 - z[j]) }
        case .tanh:
            for j in 0..<n {
                z[j] = 2 / (1 + fastExp(-2 * z[j])) - 1
                d[j] = 1 - z[j] * z[j]
            }
        case .relu:
            for j in 0..<n {
                d[j] = z[j] > 0 ? 1 : 0
                z[j] = max(0, z[j])
            }
        }
        if let dropout {
            for j in 0..<n {
                let m = dropout.factor(epoch: epoch, position: position, layer: layer, unit: j)
                z[j] *= m
                d[j] *= m
            }
        }
        for j in n..<padded { (z[j], d[j]) = (0, 0) }
    }

    /// The output layer over one row: σ on each output, or softmax.
    @inline(__always)
    static func outputs(_ o: UnsafeMutablePointer<Float>, count O: Int, softmax: Bool) {
        guard softmax else { return sigmoidInPlace(o, count: O) }
        var maximum = o[0]
        for k in 1..<O { maximum = max(maximum, o[k]) }
        var total: Float = 0
        for k in 0..<O {
            o[k] = fastExp(o[k] - maximum)
            total += o[k]
        }
        let inverse = 1 / total
        for k in 0..<O { o[k] *= inverse }
    }

    /// The forward pass of the K examples at `positions` of `order`: the first layer over each
    /// image's nonzero pixels, every other as one product over the batch (doc 004 eq. 25).
    /// With `logits`, the output layer is left as z (what calibration reads). With a team, each
    /// product's columns and the activations' rows are shared among its threads.
    static func forwardBatch(_ p: PackedLayers, _ data: EpochData, positions: Range<Int>, _ buffers: LayerBuffers,
                             dropout: Dropout?, epoch: Int, logits: Bool = false, team: Team? = nil) {
        let K = positions.count
        let L = p.layerCount
        // The first layer over each image's nonzero pixels, a strip of eight vectors of W's
        // columns at a time (784 × 256 bytes, kept in L2 while every example of the batch reads it).
        let w0 = p.widths[0]
        split(team, w0, multiple: 8) { part in
            for v in stride(from: part.lowerBound, to: part.upperBound, by: 8) {
                for (r, position) in positions.enumerated() {
                    let n = Int(data.order[position])
                    let first = data.offsets[n], m = data.offsets[n + 1] - first
                    sparseRow(data.indices + first, data.values + first, count: m, p.W[0], width: w0, bias: p.b[0],
                              into: buffers.a[0] + r * w0, columns: v..<min(v + 8, part.upperBound))
                }
            }
        }
        for l in 0..<L {
            let w = p.widths[l]
            if l > 0 {
                split(team, w, multiple: 3) { part in
                    multiply(floats(buffers.a[l - 1]), rows: K, inner: p.sizes[l], aStride: p.widths[l - 1] * 8,
                             p.W[l], width: w, bias: p.b[l], into: buffers.a[l], columns: part)
                }
            }
            split(team, K, multiple: 1) { rows in
                for r in rows {
                    let position = positions.lowerBound + r
                    let z = floats(buffers.a[l] + r * w)
                    if l == L - 1 {
                        if !logits { outputs(z, count: p.sizes[L], softmax: p.softmax) }
                    } else {
                        activate(z, count: p.sizes[l + 1], padded: w * 8, p.activation, derivative: floats(buffers.derivative[l] + r * w),
                                 dropout: dropout, epoch: epoch, position: position, layer: l)
                    }
                }
            }
        }
    }

    /// z = b + Σ x_i·W[i, :] over the m nonzero inputs listed, for the vectors of `columns`:
    /// eight at a time in registers (enough independent sums to keep both FMA units busy while
    /// the rows stream from L2), then four, then one.
    @inline(__always)
    static func sparseRow(_ active: UnsafePointer<Int32>, _ values: UnsafePointer<Float>, count m: Int,
                          _ W: UnsafePointer<Vector>, width w: Int, bias: UnsafePointer<Vector>, into z: UnsafeMutablePointer<Vector>,
                          columns: Range<Int>) {
        var v = columns.lowerBound
        while v + 8 <= columns.upperBound {
            var (a0, a1, a2, a3) = (bias[v], bias[v + 1], bias[v + 2], bias[v + 3])
            var (a4, a5, a6, a7) = (bias[v + 4], bias[v + 5], bias[v + 6], bias[v + 7])
            for a in 0..<m {
                let row = W + Int(active[a]) * w + v
                let x = Vector(repeating: values[a])
                a0 = a0.addingProduct(x, row[0]); a1 = a1.addingProduct(x, row[1])
                a2 = a2.addingProduct(x, row[2]); a3 = a3.addingProduct(x, row[3])
                a4 = a4.addingProduct(x, row[4]); a5 = a5.addingProduct(x, row[5])
                a6 = a6.addingProduct(x, row[6]); a7 = a7.addingProduct(x, row[7])
            }
            (z[v], z[v + 1], z[v + 2], z[v + 3]) = (a0, a1, a2, a3)
            (z[v + 4], z[v + 5], z[v + 6], z[v + 7]) = (a4, a5, a6, a7)
            v += 8
        }
        while v + 4 <= columns.upperBound {
            var (a0, a1, a2, a3) = (bias[v], bias[v + 1], bias[v + 2], bias[v + 3])
            for a in 0..<m {
                let row = W + Int(active[a]) * w + v
                let x = Vector(repeating: values[a])
                a0 = a0.addingProduct(x, row[0]); a1 = a1.addingProduct(x, row[1])
                a2 = a2.addingProduct(x, row[2]); a3 = a3.addingProduct(x, row[3])
            }
            (z[v], z[v + 1], z[v + 2], z[v + 3]) = (a0, a1, a2, a3)
            v += 4
        }
        while v < columns.upperBound {
            var a0 = bias[v]
            for a in 0..<m { a0 = a0.addingProduct(Vector(repeating: values[a]), W[Int(active[a]) * w + v]) }
            z[v] = a0
            v += 1
        }
    }
}

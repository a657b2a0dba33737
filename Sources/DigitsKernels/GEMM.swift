// The three matrix products of a mini-batch on a dense layer, register-blocked: the forward
// product Z = A·W + b, the backward product S = D·Wᵀ and the gradient W += s·Aᵀ·D. Rows of
// W are runs of whole vectors (PackedLayers); A, D, S hold one example per row.

extension Kernels {
    /// C[r, :] = b + Σ_i A[r, i]·W[i, :] for the K rows of A (doc 004 eq. 25 for a batch, W in
    /// doc 001's layout): A has K rows of `aStride` floats of which the first n are used, W has
    /// n rows of w vectors, C has K rows of w vectors.
    package static func multiply(_ A: UnsafePointer<Float>, rows K: Int, inner n: Int, aStride: Int,
                                 _ W: UnsafePointer<Vector>, width w: Int, bias: UnsafePointer<Vector>,
                                 into C: UnsafeMutablePointer<Vector>) {
        var r = 0
        while r + 4 <= K {
            var v = 0
            while v + 3 <= w {
                block4x3(A + r * aStride, aStride: aStride, inner: n, W + v, width: w, bias: bias + v, into: C + r * w + v)
                v += 3
            }
            for row in r..<r + 4 where v < w {
                rowTimes(A + row * aStride, inner: n, W, width: w, columns: v..<w, bias: bias, into: C + row * w)
            }
            r += 4
        }
        while r < K {
            rowTimes(A + r * aStride, inner: n, W, width: w, columns: 0..<w, bias: bias, into: C + r * w)
            r += 1
        }
    }

    /// Four rows of A times three vectors of W's columns, the twelve sums in registers.
    @inline(__always)
    static func block4x3(_ A: UnsafePointer<Float>, aStride s: Int, inner n: Int, _ W: UnsafePointer<Vector>, width w: Int,
                         bias: UnsafePointer<Vector>, into C: UnsafeMutablePointer<Vector>) {
        var (c00, c01, c02) = (bias[0], bias[1], bias[2])
        var (c10, c11, c12) = (c00, c01, c02), (c20, c21, c22) = (c00, c01, c02), (c30, c31, c32) = (c00, c01, c02)
        var row = W
        for i in 0..<n {
            let (w0, w1, w2) = (row[0], row[1], row[2])
            var x = Vector(repeating: A[i])
            c00 = c00.addingProduct(x, w0); c01 = c01.addingProduct(x, w1); c02 = c02.addingProduct(x, w2)
            x = Vector(repeating: A[s + i])
            c10 = c10.addingProduct(x, w0); c11 = c11.addingProduct(x, w1); c12 = c12.addingProduct(x, w2)
            x = Vector(repeating: A[2 * s + i])
            c20 = c20.addingProduct(x, w0); c21 = c21.addingProduct(x, w1); c22 = c22.addingProduct(x, w2)
            x = Vector(repeating: A[3 * s + i])
            c30 = c30.addingProduct(x, w0); c31 = c31.addingProduct(x, w1); c32 = c32.addingProduct(x, w2)
            row += w
        }
        (C[0], C[1], C[2]) = (c00, c01, c02)
        (C[w], C[w + 1], C[w + 2]) = (c10, c11, c12)
        (C[2 * w], C[2 * w + 1], C[2 * w + 2]) = (c20, c21, c22)
        (C[3 * w], C[3 * w + 1], C[3 * w + 2]) = (c30, c31, c32)
    }

    /// One row: c[v] = b[v] + Σ_i a_i·W[i, v] for the vectors v of `columns`, four at a time in
    /// registers; inputs that are exactly 0 (a relu's, a dropped unit's) are skipped.
    @inline(__always)
    static func rowTimes(_ a: UnsafePointer<Float>, inner n: Int, _ W: UnsafePointer<Vector>, width w: Int,
                         columns: Range<Int>, bias: UnsafePointer<Vector>, into c: UnsafeMutablePointer<Vector>) {
        var v = columns.lowerBound
        while v + 4 <= columns.upperBound {
            var (c0, c1, c2, c3) = (bias[v], bias[v + 1], bias[v + 2], bias[v + 3])
            for i in 0..<n where a[i] != 0 {
                let row = W + i * w + v
                let x = Vector(repeating: a[i])
                c0 = c0.addingProduct(x, row[0]); c1 = c1.addingProduct(x, row[1])
                c2 = c2.addingProduct(x, row[2]); c3 = c3.addingProduct(x, row[3])
            }
            (c[v], c[v + 1], c[v + 2], c[v + 3]) = (c0, c1, c2, c3)
            v += 4
        }
        while v < columns.upperBound {
            var c0 = bias[v]
            for i in 0..<n where a[i] != 0 { c0 = c0.addingProduct(Vector(repeating: a[i]), W[i * w + v]) }
            c[v] = c0
            v += 1
        }
    }

    /// S[r, i] = Σ_j D[r, j]·W[i, j] for the n units i below: what each example's layer sends
    /// down through its weights (doc 004 eq. BP2's (wˡ⁺¹)ᵀδˡ⁺¹, in doc 001's layout W·δ).
    /// D has K rows of w vectors; S has K rows of `sStride` floats.
    package static func multiplyTransposed(_ D: UnsafePointer<Vector>, rows K: Int, width w: Int, _ W: UnsafePointer<Vector>,
                                           units n: Int, into S: UnsafeMutablePointer<Float>, sStride: Int) {
        var r = 0
        while r + 4 <= K {
            var i = 0
            while i + 2 <= n {
                dots4x2(D + r * w, width: w, W + i * w, into: S + r * sStride + i, sStride: sStride)
                i += 2
            }
            for row in r..<r + 4 where i < n { S[row * sStride + i] = dot(D + row * w, W + i * w, count: w) }
            r += 4
        }
        while r < K {
            for i in 0..<n { S[r * sStride + i] = dot(D + r * w, W + i * w, count: w) }
            r += 1
        }
    }

    /// Four rows of D against two rows of W: eight dot products, their partial sums in registers.
    @inline(__always)
    static func dots4x2(_ D: UnsafePointer<Vector>, width w: Int, _ W: UnsafePointer<Vector>,
                        into S: UnsafeMutablePointer<Float>, sStride s: Int) {
        var (a0, a1, a2, a3) = (Vector(), Vector(), Vector(), Vector())
        var (b0, b1, b2, b3) = (Vector(), Vector(), Vector(), Vector())
        for v in 0..<w {
            let (x, y) = (W[v], W[w + v])
            let (d0, d1, d2, d3) = (D[v], D[w + v], D[2 * w + v], D[3 * w + v])
            a0 = a0.addingProduct(d0, x); a1 = a1.addingProduct(d1, x); a2 = a2.addingProduct(d2, x); a3 = a3.addingProduct(d3, x)
            b0 = b0.addingProduct(d0, y); b1 = b1.addingProduct(d1, y); b2 = b2.addingProduct(d2, y); b3 = b3.addingProduct(d3, y)
        }
        (S[0], S[s], S[2 * s], S[3 * s]) = (a0.sum(), a1.sum(), a2.sum(), a3.sum())
        (S[1], S[s + 1], S[2 * s + 1], S[3 * s + 1]) = (b0.sum(), b1.sum(), b2.sum(), b3.sum())
    }

    @inline(__always)
    static func dot(_ x: UnsafePointer<Vector>, _ y: UnsafePointer<Vector>, count w: Int) -> Float {
        var sum = Vector()
        for v in 0..<w { sum = sum.addingProduct(x[v], y[v]) }
        return sum.sum()
    }

    /// W[i, :] += s·Σ_r A[r, i]·D[r, :] for the n rows of W: the batch's summed outer products
    /// aˡ⁻¹·δˡᵀ (doc 004 eq. BP4 in doc 001's layout), scaled by s (−α/K) and added in.
    package static func addProducts(_ A: UnsafePointer<Float>, aStride: Int, rows K: Int, inner n: Int,
                                    _ D: UnsafePointer<Vector>, width w: Int, scale: Float, into W: UnsafeMutablePointer<Vector>) {
        var i = 0
        while i + 4 <= n {
            var v = 0
            while v + 3 <= w {
                outer4x3(A + i, aStride: aStride, rows: K, D + v, width: w, scale: scale, into: W + i * w + v)
                v += 3
            }
            for unit in i..<i + 4 where v < w { outerRow(A + unit, aStride: aStride, rows: K, D, width: w, columns: v..<w, scale: scale, into: W + unit * w) }
            i += 4
        }
        while i < n {
            outerRow(A + i, aStride: aStride, rows: K, D, width: w, columns: 0..<w, scale: scale, into: W + i * w)
            i += 1
        }
    }

    /// Four rows of W (units i…i+3 below) by three vectors of columns, summed over the batch.
    @inline(__always)
    static func outer4x3(_ A: UnsafePointer<Float>, aStride s: Int, rows K: Int, _ D: UnsafePointer<Vector>, width w: Int,
                         scale: Float, into W: UnsafeMutablePointer<Vector>) {
        var (c00, c01, c02, c10, c11, c12) = (Vector(), Vector(), Vector(), Vector(), Vector(), Vector())
        var (c20, c21, c22, c30, c31, c32) = (Vector(), Vector(), Vector(), Vector(), Vector(), Vector())
        for r in 0..<K {
            let d = D + r * w, a = A + r * s
            let (d0, d1, d2) = (d[0], d[1], d[2])
            var x = Vector(repeating: a[0])
            c00 = c00.addingProduct(x, d0); c01 = c01.addingProduct(x, d1); c02 = c02.addingProduct(x, d2)
            x = Vector(repeating: a[1])
            c10 = c10.addingProduct(x, d0); c11 = c11.addingProduct(x, d1); c12 = c12.addingProduct(x, d2)
            x = Vector(repeating: a[2])
            c20 = c20.addingProduct(x, d0); c21 = c21.addingProduct(x, d1); c22 = c22.addingProduct(x, d2)
            x = Vector(repeating: a[3])
            c30 = c30.addingProduct(x, d0); c31 = c31.addingProduct(x, d1); c32 = c32.addingProduct(x, d2)
        }
        let k = Vector(repeating: scale)
        W[0] = W[0].addingProduct(c00, k); W[1] = W[1].addingProduct(c01, k); W[2] = W[2].addingProduct(c02, k)
        W[w] = W[w].addingProduct(c10, k); W[w + 1] = W[w + 1].addingProduct(c11, k); W[w + 2] = W[w + 2].addingProduct(c12, k)
        W[2 * w] = W[2 * w].addingProduct(c20, k); W[2 * w + 1] = W[2 * w + 1].addingProduct(c21, k)
        W[2 * w + 2] = W[2 * w + 2].addingProduct(c22, k)
        W[3 * w] = W[3 * w].addingProduct(c30, k); W[3 * w + 1] = W[3 * w + 1].addingProduct(c31, k)
        W[3 * w + 2] = W[3 * w + 2].addingProduct(c32, k)
    }

    /// One row of W, the vectors of `columns`, summed over the batch.
    @inline(__always)
    static func outerRow(_ a: UnsafePointer<Float>, aStride s: Int, rows K: Int, _ D: UnsafePointer<Vector>, width w: Int,
                         columns: Range<Int>, scale: Float, into W: UnsafeMutablePointer<Vector>) {
        let k = Vector(repeating: scale)
        for v in columns {
            var c = Vector()
            for r in 0..<K { c = c.addingProduct(Vector(repeating: a[r * s]), D[r * w + v]) }
            W[v] = W[v].addingProduct(c, k)
        }
    }
}

// The three matrix products of a mini-batch on a dense layer, register-blocked: the forward
// product Z = A·W + b, the backward product S = D·Wᵀ and the gradient W += s·Aᵀ·D. Rows of
// W are runs of whole vectors (PackedLayers); A, D, S hold one example per row.

extension Kernels {
    /// C[r, :] = b + Σ_i A[r, i]·W[i, :] for the K rows of A (doc 004 eq. 25 for a batch, W in
    /// doc 001's layout): A has K rows of `aStride` floats of which the first n are used, W has
    /// n rows of w vectors, C has K rows of w vectors.
    ///
    /// Blocked for the caches: the inner dimension in chunks of 256 rows of W, and within a chunk
    /// a strip of three vectors of W's columns (256 × 96 bytes, in L1) is used by every 4-row
    /// block of A before the next strip is read. Only the vectors of `columns` (all when nil) are
    /// computed: a thread's share, which starts at a multiple of three so that each column is
    /// summed exactly as when one thread does them all.
    package static func multiply(_ A: UnsafePointer<Float>, rows K: Int, inner n: Int, aStride: Int,
                                 _ W: UnsafePointer<Vector>, width w: Int, bias: UnsafePointer<Vector>,
                                 into C: UnsafeMutablePointer<Vector>, columns: Range<Int>? = nil) {
        let blocked = K / 4 * 4
        let all = columns ?? 0..<w
        var i0 = 0
        repeat {
            let i1 = min(i0 + 256, n)
            // The first chunk starts from the bias (the same for every row), the others from C.
            let (start, startStride) = i0 == 0 ? (bias, 0) : (UnsafePointer(C), w)
            var v = all.lowerBound
            while v + 3 <= all.upperBound && blocked > 0 {
                for r in stride(from: 0, to: blocked, by: 4) {
                    block4x3(A + r * aStride + i0, aStride: aStride, inner: i1 - i0, W + i0 * w + v, width: w,
                             start: start + r * startStride + v, startStride: startStride, into: C + r * w + v)
                }
                v += 3
            }
            for r in 0..<K where r >= blocked || v < all.upperBound {
                rowTimes(A + r * aStride + i0, inner: i1 - i0, W + i0 * w, width: w, columns: r >= blocked ? all : v..<all.upperBound,
                         start: start + r * startStride, into: C + r * w)
            }
            i0 = i1
        } while i0 < n
    }

    /// Four rows of A times three vectors of W's columns, the twelve sums in registers, starting
    /// from `start` (rows `startStride` vectors apart).
    @inline(__always)
    static func block4x3(_ A: UnsafePointer<Float>, aStride s: Int, inner n: Int, _ W: UnsafePointer<Vector>, width w: Int,
                         start: UnsafePointer<Vector>, startStride t: Int, into C: UnsafeMutablePointer<Vector>) {
        var (c00, c01, c02) = (start[0], start[1], start[2])
        var (c10, c11, c12) = (start[t], start[t + 1], start[t + 2])
        var (c20, c21, c22) = (start[2 * t], start[2 * t + 1], start[2 * t + 2])
        var (c30, c31, c32) = (start[3 * t], start[3 * t + 1], start[3 * t + 2])
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

    /// One row: c[v] = start[v] + Σ_i a_i·W[i, v] for the vectors v of `columns`, four at a time
    /// in registers; inputs that are exactly 0 (a relu's, a dropped unit's) are skipped.
    @inline(__always)
    static func rowTimes(_ a: UnsafePointer<Float>, inner n: Int, _ W: UnsafePointer<Vector>, width w: Int,
                         columns: Range<Int>, start: UnsafePointer<Vector>, into c: UnsafeMutablePointer<Vector>) {
        var v = columns.lowerBound
        while v + 4 <= columns.upperBound {
            var (c0, c1, c2, c3) = (start[v], start[v + 1], start[v + 2], start[v + 3])
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
            var c0 = start[v]
            for i in 0..<n where a[i] != 0 { c0 = c0.addingProduct(Vector(repeating: a[i]), W[i * w + v]) }
            c[v] = c0
            v += 1
        }
    }

    /// S[r, i] = Σ_j D[r, j]·W[i, j] for the n units i below: what each example's layer sends
    /// down through its weights (doc 004 eq. BP2's (wˡ⁺¹)ᵀδˡ⁺¹, in doc 001's layout W·δ).
    /// D has K rows of w vectors; S has K rows of `sStride` floats. Three rows of W (in L1) meet
    /// every 4-row block of D before the next three are read. Only the units of `part` (all when
    /// nil) are computed: every S[r, i] is the same sum whichever kernel takes it.
    package static func multiplyTransposed(_ D: UnsafePointer<Vector>, rows K: Int, width w: Int, _ W: UnsafePointer<Vector>,
                                           units: Int, into S: UnsafeMutablePointer<Float>, sStride: Int, part: Range<Int>? = nil) {
        let blocked = K / 4 * 4
        let (first, n) = part.map { ($0.lowerBound, $0.upperBound) } ?? (0, units)
        var i = first
        while i + 3 <= n && blocked > 0 {
            for r in stride(from: 0, to: blocked, by: 4) {
                dots4x3(D + r * w, width: w, W + i * w, into: S + r * sStride + i, sStride: sStride)
            }
            i += 3
        }
        for r in 0..<K where r >= blocked || i < n {
            var j = r >= blocked ? first : i
            while j + 4 <= n {
                dots1x4(D + r * w, width: w, W + j * w, into: S + r * sStride + j)
                j += 4
            }
            while j < n {
                S[r * sStride + j] = dot(D + r * w, W + j * w, count: w)
                j += 1
            }
        }
    }

    /// Four rows of D against three rows of W: twelve dot products, their partial sums in registers.
    @inline(__always)
    static func dots4x3(_ D: UnsafePointer<Vector>, width w: Int, _ W: UnsafePointer<Vector>,
                        into S: UnsafeMutablePointer<Float>, sStride s: Int) {
        var (a0, a1, a2, a3) = (Vector(), Vector(), Vector(), Vector())
        var (b0, b1, b2, b3) = (Vector(), Vector(), Vector(), Vector())
        var (c0, c1, c2, c3) = (Vector(), Vector(), Vector(), Vector())
        for v in 0..<w {
            let (x, y, z) = (W[v], W[w + v], W[2 * w + v])
            var d = D[v]
            a0 = a0.addingProduct(d, x); b0 = b0.addingProduct(d, y); c0 = c0.addingProduct(d, z)
            d = D[w + v]
            a1 = a1.addingProduct(d, x); b1 = b1.addingProduct(d, y); c1 = c1.addingProduct(d, z)
            d = D[2 * w + v]
            a2 = a2.addingProduct(d, x); b2 = b2.addingProduct(d, y); c2 = c2.addingProduct(d, z)
            d = D[3 * w + v]
            a3 = a3.addingProduct(d, x); b3 = b3.addingProduct(d, y); c3 = c3.addingProduct(d, z)
        }
        (S[0], S[s], S[2 * s], S[3 * s]) = (a0.sum(), a1.sum(), a2.sum(), a3.sum())
        (S[1], S[s + 1], S[2 * s + 1], S[3 * s + 1]) = (b0.sum(), b1.sum(), b2.sum(), b3.sum())
        (S[2], S[s + 2], S[2 * s + 2], S[3 * s + 2]) = (c0.sum(), c1.sum(), c2.sum(), c3.sum())
    }

    /// One row of D against four rows of W: four independent sums, so the additions overlap.
    @inline(__always)
    static func dots1x4(_ d: UnsafePointer<Vector>, width w: Int, _ W: UnsafePointer<Vector>, into S: UnsafeMutablePointer<Float>) {
        var (a0, a1, a2, a3) = (Vector(), Vector(), Vector(), Vector())
        for v in 0..<w {
            let x = d[v]
            a0 = a0.addingProduct(x, W[v]); a1 = a1.addingProduct(x, W[w + v])
            a2 = a2.addingProduct(x, W[2 * w + v]); a3 = a3.addingProduct(x, W[3 * w + v])
        }
        (S[0], S[1], S[2], S[3]) = (a0.sum(), a1.sum(), a2.sum(), a3.sum())
    }

    @inline(__always)
    static func dot(_ x: UnsafePointer<Vector>, _ y: UnsafePointer<Vector>, count w: Int) -> Float {
        var sum = Vector()
        for v in 0..<w { sum = sum.addingProduct(x[v], y[v]) }
        return sum.sum()
    }

    /// W[i, :] += s·Σ_r Aᵀ[i, r]·D[r, :] for the n rows of W: the batch's summed outer products
    /// aˡ⁻¹·δˡᵀ (doc 004 eq. BP4 in doc 001's layout), scaled by s (−α/K) and added in. Aᵀ holds
    /// each unit's K values contiguously; a strip of three vectors of every row of D (in L1)
    /// serves every 4-row block of W before the next strip is read. Only the vectors of `columns`
    /// (all when nil) are updated: every W[i, v] gets the same sum whichever kernel takes it.
    package static func addProducts(_ AT: UnsafePointer<Float>, rows K: Int, inner n: Int,
                                    _ D: UnsafePointer<Vector>, width w: Int, scale: Float, into W: UnsafeMutablePointer<Vector>,
                                    columns: Range<Int>? = nil) {
        let blocked = n / 4 * 4
        let all = columns ?? 0..<w
        var v = all.lowerBound
        while v + 3 <= all.upperBound {
            for i in stride(from: 0, to: blocked, by: 4) {
                outer4x3(AT + i * K, rows: K, D + v, width: w, scale: scale, into: W + i * w + v)
            }
            for i in blocked..<n { outerRow(AT + i * K, rows: K, D, width: w, columns: v..<v + 3, scale: scale, into: W + i * w) }
            v += 3
        }
        if v < all.upperBound {
            for i in 0..<n { outerRow(AT + i * K, rows: K, D, width: w, columns: v..<all.upperBound, scale: scale, into: W + i * w) }
        }
    }

    /// Four rows of W (units i…i+3 below) by three vectors of columns, summed over the batch.
    @inline(__always)
    static func outer4x3(_ AT: UnsafePointer<Float>, rows K: Int, _ D: UnsafePointer<Vector>, width w: Int,
                         scale: Float, into W: UnsafeMutablePointer<Vector>) {
        var (c00, c01, c02, c10, c11, c12) = (Vector(), Vector(), Vector(), Vector(), Vector(), Vector())
        var (c20, c21, c22, c30, c31, c32) = (Vector(), Vector(), Vector(), Vector(), Vector(), Vector())
        for r in 0..<K {
            let d = D + r * w
            let (d0, d1, d2) = (d[0], d[1], d[2])
            var x = Vector(repeating: AT[r])
            c00 = c00.addingProduct(x, d0); c01 = c01.addingProduct(x, d1); c02 = c02.addingProduct(x, d2)
            x = Vector(repeating: AT[K + r])
            c10 = c10.addingProduct(x, d0); c11 = c11.addingProduct(x, d1); c12 = c12.addingProduct(x, d2)
            x = Vector(repeating: AT[2 * K + r])
            c20 = c20.addingProduct(x, d0); c21 = c21.addingProduct(x, d1); c22 = c22.addingProduct(x, d2)
            x = Vector(repeating: AT[3 * K + r])
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
    static func outerRow(_ a: UnsafePointer<Float>, rows K: Int, _ D: UnsafePointer<Vector>, width w: Int,
                         columns: Range<Int>, scale: Float, into W: UnsafeMutablePointer<Vector>) {
        let k = Vector(repeating: scale)
        for v in columns {
            var c = Vector()
            for r in 0..<K { c = c.addingProduct(Vector(repeating: a[r]), D[r * w + v]) }
            W[v] = W[v].addingProduct(c, k)
        }
    }
}

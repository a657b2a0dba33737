#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

// The fast path of training and inference. Every formula here is one of Network.feedforward,
// Network.backprop or Network.update (docs 000 and 001), fused and laid out for SIMD; the tests
// hold these kernels to those plain versions. This is the only file with unsafe pointers.
//
// Layout: the hidden dimension is padded to Hp, a multiple of 8, so every row is a run of
// whole SIMD8<Float> vectors; W_ho is kept transposed (outputs × Hp) so that both the output
// layer and the backward pass are runs of vectors too. Padded hidden units are held at h = 0,
// so they neither contribute nor learn.

typealias Vector = SIMD8<Float>

/// The settings a training step needs, resolved to numbers.
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
}

/// Storage of `count` vectors, 32-byte aligned, zeroed.
private func vectors(_ count: Int) -> UnsafeMutablePointer<Vector> {
    let p = UnsafeMutablePointer<Vector>.allocate(capacity: max(count, 1))
    p.initialize(repeating: Vector(), count: max(count, 1))
    return p
}

/// The network's parameters in the kernels' layout, for the length of a training run.
final class PackedNetwork {
    let inputCount: Int, hiddenCount: Int, outputCount: Int
    /// Vectors per hidden row: Hp = 8 · width.
    let width: Int
    let outputLayer: OutputLayer
    /// W_ih, inputs × Hp.
    let W_ih: UnsafeMutablePointer<Vector>
    /// W_hoᵀ, outputs × Hp.
    let W_hoT: UnsafeMutablePointer<Vector>
    let b_h: UnsafeMutablePointer<Vector>
    let b_o: UnsafeMutablePointer<Float>

    init(_ n: Network) {
        inputCount = n.inputCount
        hiddenCount = n.hiddenCount
        outputCount = n.outputCount
        width = (n.hiddenCount + 7) / 8
        outputLayer = n.outputLayer
        W_ih = vectors(inputCount * width)
        W_hoT = vectors(outputCount * width)
        b_h = vectors(width)
        b_o = .allocate(capacity: outputCount)
        load(n)
    }

    deinit {
        W_ih.deallocate()
        W_hoT.deallocate()
        b_h.deallocate()
        b_o.deallocate()
    }

    private var floatsIH: UnsafeMutablePointer<Float> { UnsafeMutableRawPointer(W_ih).assumingMemoryBound(to: Float.self) }
    private var floatsHO: UnsafeMutablePointer<Float> { UnsafeMutableRawPointer(W_hoT).assumingMemoryBound(to: Float.self) }
    private var floatsBH: UnsafeMutablePointer<Float> { UnsafeMutableRawPointer(b_h).assumingMemoryBound(to: Float.self) }

    /// Copies `n`'s parameters in (padding stays zero).
    func load(_ n: Network) {
        let (H, O, Hp) = (hiddenCount, outputCount, width * 8)
        for i in 0..<inputCount {
            for j in 0..<H { floatsIH[i * Hp + j] = n.W_ih[i * H + j] }
        }
        for j in 0..<H {
            for k in 0..<O { floatsHO[k * Hp + j] = n.W_ho[j * O + k] }
            floatsBH[j] = n.b_h[j]
        }
        for k in 0..<O { b_o[k] = n.b_o[k] }
    }

    /// Copies the parameters back out into `n`'s plain layout.
    func store(into n: inout Network) {
        let (H, O, Hp) = (hiddenCount, outputCount, width * 8)
        for i in 0..<inputCount {
            for j in 0..<H { n.W_ih[i * H + j] = floatsIH[i * Hp + j] }
        }
        for j in 0..<H {
            for k in 0..<O { n.W_ho[j * O + k] = floatsHO[k * Hp + j] }
            n.b_h[j] = floatsBH[j]
        }
        for k in 0..<O { n.b_o[k] = b_o[k] }
    }
}

/// The nonzero inputs of every image, found once per data set rather than once per epoch:
/// image n's are entries offsets[n]..<offsets[n + 1] of `indices` (which input) and `values` (x_i).
///
/// (Unchecked Sendable: a set is only refilled by its owner, when no other thread reads it.)
public final class SparseInputs: @unchecked Sendable {
    public private(set) var count: Int
    public private(set) var offsets: [Int]
    public private(set) var indices: [Int32]
    public private(set) var values: [Float]

    init(count: Int, offsets: [Int], indices: [Int32], values: [Float]) {
        self.count = count
        self.offsets = offsets
        self.indices = indices
        self.values = values
    }

    /// Hands over the arrays (leaving this set empty), so they can be refilled without copying.
    func takeStorage() -> ([Int], [Int32], [Float]) {
        defer { offsets = []; indices = []; values = []; count = 0 }
        return (offsets, indices, values)
    }

    func refill(count: Int, offsets: [Int], indices: [Int32], values: [Float]) {
        self.count = count
        self.offsets = offsets
        self.indices = indices
        self.values = values
    }

    public init(images: [UInt8], count: Int, pixels: Int, table: [Float]) {
        self.count = count
        var offsets = [0]
        var indices: [Int32] = [], values: [Float] = []
        offsets.reserveCapacity(count + 1)
        for n in 0..<count {
            for i in 0..<pixels {
                let x = table[Int(images[n * pixels + i])]
                if x != 0 {
                    indices.append(Int32(i))
                    values.append(x)
                }
            }
            offsets.append(indices.count)
        }
        self.offsets = offsets
        self.indices = indices
        self.values = values
    }
}

/// Momentum's state: the velocity of every parameter, and the buffer a batch's step is
/// gathered in, both in the packed layout.
final class MomentumState {
    let velocity: PackedNetwork
    let step: PackedNetwork

    /// Zero velocity for `p`, or the one given (from a checkpoint, in the plain layout).
    init(for p: PackedNetwork, velocity: Network? = nil) {
        let zero = Network(inputCount: p.inputCount, hiddenCount: p.hiddenCount, outputCount: p.outputCount,
                           W_ih: [Float](repeating: 0, count: p.inputCount * p.hiddenCount),
                           W_ho: [Float](repeating: 0, count: p.hiddenCount * p.outputCount), outputLayer: p.outputLayer)
        self.velocity = PackedNetwork(velocity ?? zero)
        self.step = PackedNetwork(zero)
    }
}

/// Where the augmentation sampler puts a pixel: into an image, or straight into the list of
/// nonzero inputs (visited row by row, so in order).
protocol PixelSink {
    mutating func put(_ pixel: Int, _ value: UInt8)
}

struct ByteSink: PixelSink {
    let pixels: UnsafeMutablePointer<UInt8>
    @inline(__always) mutating func put(_ pixel: Int, _ value: UInt8) { pixels[pixel] = value }
}

struct SparseSink: PixelSink {
    let table: UnsafePointer<Float>
    let indices: UnsafeMutablePointer<Int32>
    let values: UnsafeMutablePointer<Float>
    var count = 0
    @inline(__always) mutating func put(_ pixel: Int, _ value: UInt8) {
        let x = table[Int(value)]
        indices[count] = Int32(pixel)
        values[count] = x
        count += x != 0 ? 1 : 0
    }
}

/// The sampler's working memory for one thread: the padded 30×30 image (its border stays
/// black), a second one for the reader's separable passes, and one image's nonzero inputs.
final class SamplerBuffers {
    let source: UnsafeMutablePointer<Float>
    let scratch: UnsafeMutablePointer<Float>
    let slotIndex: UnsafeMutablePointer<Int32>
    let slotValue: UnsafeMutablePointer<Float>

    init() {
        source = .allocate(capacity: 2 * 30 * 30)
        source.initialize(repeating: 0, count: 2 * 30 * 30)
        scratch = source + 30 * 30
        slotIndex = .allocate(capacity: 784)
        slotIndex.initialize(repeating: 0, count: 784)
        slotValue = .allocate(capacity: 784)
        slotValue.initialize(repeating: 0, count: 784)
    }

    deinit {
        source.deallocate()
        slotIndex.deallocate()
        slotValue.deallocate()
    }
}

/// Raw views of one epoch's inputs, so that a second thread can read them too.
struct EpochData: @unchecked Sendable {
    let indices: UnsafePointer<Int32>
    let values: UnsafePointer<Float>
    let offsets: UnsafePointer<Int>
    let labels: UnsafePointer<UInt8>
    let order: UnsafePointer<Int32>
}

/// What phase 1 of a mini-batch step leaves for phase 2: each example's h and its deltas,
/// already scaled by −α/K.
final class BatchBuffers: @unchecked Sendable {
    let h: UnsafeMutablePointer<Vector>
    let delta_h: UnsafeMutablePointer<Vector>
    let delta_o: UnsafeMutablePointer<Float>

    init(size: Int, width: Int, outputs: Int) {
        h = vectors(size * width)
        delta_h = vectors(size * width)
        delta_o = .allocate(capacity: max(1, size * outputs))
        delta_o.initialize(repeating: 0, count: max(1, size * outputs))
    }

    deinit {
        h.deallocate()
        delta_h.deallocate()
        delta_o.deallocate()
    }
}

/// Scratch space for the kernels, allocated once per run so the epoch loop allocates nothing.
final class Workspace {
    let width: Int, outputCount: Int, inputCount: Int
    let h: UnsafeMutablePointer<Vector>
    let delta_h: UnsafeMutablePointer<Vector>
    let o: UnsafeMutablePointer<Float>
    let delta_o: UnsafeMutablePointer<Float>
    let back: UnsafeMutablePointer<Float>
    /// The current image's nonzero inputs, when gathered from raw pixels.
    let active: UnsafeMutablePointer<Int32>
    let values: UnsafeMutablePointer<Float>
    /// Examples whose largest output was their label, counted by `deltas` before each update:
    /// the epoch's running training accuracy, free because the forward pass is done anyway.
    var hits = 0

    init(for p: PackedNetwork) {
        width = p.width
        outputCount = p.outputCount
        inputCount = p.inputCount
        h = vectors(width)
        delta_h = vectors(width)
        o = .allocate(capacity: outputCount)
        delta_o = .allocate(capacity: outputCount)
        back = .allocate(capacity: outputCount)
        for q in [o, delta_o, back] { q.initialize(repeating: 0, count: outputCount) }
        active = .allocate(capacity: inputCount)
        active.initialize(repeating: 0, count: inputCount)
        values = .allocate(capacity: inputCount)
        values.initialize(repeating: 0, count: inputCount)
    }

    deinit {
        for p in [h, delta_h] { p.deallocate() }
        for p in [o, delta_o, back, values] { p.deallocate() }
        active.deallocate()
    }
}

/// e^x: Cody–Waite range reduction and the Cephes degree-5 polynomial (relative error about
/// 2·10⁻⁷), with x clamped to [−87.3, 88] where e^x is a finite float. Written on one float so
/// that loops over it vectorise (min, max, round, convert and shift all have vector forms).
@inline(__always)
func fastExp(_ x: Float) -> Float {
    // Written as comparisons so that NaN (weights that overflowed) clamps to −87.3 instead of
    // reaching the Int32 conversion below; for every other x it is min(max(x, −87.3), 88).
    let x = x > -87.3 ? (x < 88 ? x : 88) : -87.3
    let n = (x * 1.442_695_04).rounded(.toNearestOrEven)
    var r = x - n * 0.693_359_375
    r = r - n * -2.121_944_4e-4
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    let y = p * r * r + r + 1
    return y * Float(bitPattern: UInt32(bitPattern: Int32(n) &+ 127) &<< 23)
}

/// σ(z) = 1 / (1 + e^−z) over `count` floats in place (doc 000 eq. 1): exactly 0 or 1 far out,
/// never NaN.
@inline(__always)
func sigmoidInPlace(_ z: UnsafeMutablePointer<Float>, count: Int) {
    for j in 0..<count { z[j] = 1 / (1 + fastExp(-z[j])) }
}

enum Kernels {
    /// Image `n` of `images`, as floats with a black border of one pixel (30 × 30), so every
    /// bilinear neighbour is in bounds (the border is written once, by the caller's zeroing).
    @inline(__always)
    private static func pad(_ images: UnsafePointer<UInt8>, _ n: Int, into source: UnsafeMutablePointer<Float>) {
        let image = images + n * 784
        for y in 0..<28 {
            let row = source + (y + 1) * 30 + 1, pixels = image + y * 28
            for x in 0..<28 { row[x] = Float(pixels[x]) }
        }
    }

    /// The bounding box (x0, y0, x1, y1) of each image's ink, (28, 28, −1, −1) for a blank one.
    static func inkBoxes(_ images: [UInt8], count: Int) -> [SIMD4<Int32>] {
        images.withUnsafeBufferPointer { buffer in
            (0..<count).map { n in
                var (x0, y0, x1, y1): (Int32, Int32, Int32, Int32) = (28, 28, -1, -1)
                let image = buffer.baseAddress! + n * 784
                for y in 0..<28 {
                    var any: UInt8 = 0
                    for x in 0..<28 { any |= image[y * 28 + x] }
                    if any == 0 { continue }
                    y0 = min(y0, Int32(y)); y1 = Int32(y)
                    for x in 0..<28 where image[y * 28 + x] != 0 {
                        x0 = min(x0, Int32(x)); x1 = max(x1, Int32(x))
                    }
                }
                return SIMD4(x0, y0, x1, y1)
            }
        }
    }

    /// Puts into `out`, row by row, the distorted image's pixels that may be nonzero:
    /// out(p) = bilinear sample of `source` at A·(p − c) + c + shift + field(p),
    /// c = (13.5, 13.5), black outside (Augmenter's distortion). Only the output region the
    /// ink's box can reach is visited (the box, widened by the field's reach, mapped back
    /// through A⁻¹).
    @inline(__always)
    private static func sample<Sink: PixelSink>(_ source: UnsafePointer<Float>, box: (Int, Int, Int, Int), _ t: Distortion,
                                                bank: UnsafePointer<Float>, reach: Float, into out: inout Sink) {
        let (side, padded) = (28, 30)
        let centre: Float = 13.5
        var (ox0, oy0, ox1, oy1) = (0, 0, side - 1, side - 1)
        let determinant = t.a * t.d - t.b * t.c
        if abs(determinant) > 1e-3 {
            let (ia, ib, ic, id) = (t.d / determinant, -t.b / determinant, -t.c / determinant, t.a / determinant)
            let margin = reach + 1
            var (lx, ly, hx, hy) = (Float.infinity, Float.infinity, -Float.infinity, -Float.infinity)
            for (sx, sy) in [(Float(box.0) - margin, Float(box.1) - margin), (Float(box.2) + margin, Float(box.1) - margin),
                             (Float(box.0) - margin, Float(box.3) + margin), (Float(box.2) + margin, Float(box.3) + margin)] {
                let (dx, dy) = (sx - centre - t.shiftX, sy - centre - t.shiftY)
                let (px, py) = (ia * dx + ib * dy + centre, ic * dx + id * dy + centre)
                lx = min(lx, px); hx = max(hx, px); ly = min(ly, py); hy = max(hy, py)
            }
            ox0 = max(0, Int(lx.rounded(.down)) - 1); oy0 = max(0, Int(ly.rounded(.down)) - 1)
            ox1 = min(side - 1, Int(hx.rounded(.up)) + 1); oy1 = min(side - 1, Int(hy.rounded(.up)) + 1)
        }
        guard ox0 <= ox1, oy0 <= oy1 else { return }
        let sign = (x: Float(t.negateX ? -1 : 1), y: Float(t.negateY ? -1 : 1))
        let fieldX = bank + (t.field ?? 0) * 2 * side * side
        let fieldY = fieldX + side * side
        let hasField = t.field != nil
        let (inkLeft, inkTop) = (Float(box.0) - 1, Float(box.1) - 1)
        let (inkRight, inkBottom) = (Float(box.2) + 1, Float(box.3) + 1)
        // Without a field, x and y steps of the source point are constant: A's columns.
        for y in oy0...oy1 {
            let py = Float(y) - centre
            var sx = t.a * (Float(ox0) - centre) + t.b * py + centre + t.shiftX
            var sy = t.c * (Float(ox0) - centre) + t.d * py + centre + t.shiftY
            for x in ox0...ox1 {
                var qx = sx, qy = sy
                sx += t.a
                sy += t.c
                if hasField {
                    let i = y * side + x
                    let (fx, fy) = t.swapField ? (fieldY[i], fieldX[i]) : (fieldX[i], fieldY[i])
                    qx += sign.x * fx
                    qy += sign.y * fy
                }
                // Outside the ink's box (widened by the one pixel a bilinear neighbour reaches)
                // every neighbour is black: the pixel stays 0 without being sampled.
                if !(qx > inkLeft && qx < inkRight && qy > inkTop && qy < inkBottom) { continue }
                let x0 = Int32(qx + 1) - 1, y0 = Int32(qy + 1) - 1  // floor, as qx, qy > −1
                let fx = qx - Float(x0), fy = qy - Float(y0)
                let i = Int(y0 + 1) * padded + Int(x0 + 1)
                let top = source[i] + fx * (source[i + 1] - source[i])
                let bottom = source[i + padded] + fx * (source[i + padded + 1] - source[i + padded])
                // A convex combination of bytes: within 0…255, so +0.5 and truncation round it.
                out.put(y * side + x, UInt8(truncatingIfNeeded: min(Int32(top + fy * (bottom - top) + 0.5), 255)))
            }
        }
    }

    /// The largest displacement in a bank of elastic fields (0 for none).
    static func reach(of fields: [Float]) -> Float {
        fields.reduce(0) { max($0, abs($1)) }
    }

    /// One image, padded in `source`, under `t` into `sink`: with the reader's ink changes
    /// first when `t` has them (`restyle` in `source`, then `InkSink` on the way out).
    @inline(__always)
    private static func distortOne<Sink: PixelSink>(_ source: UnsafeMutablePointer<Float>, _ scratch: UnsafeMutablePointer<Float>,
                                                    box: Box, _ t: Distortion, bank: UnsafePointer<Float>, reach: Float,
                                                    tones: UnsafePointer<UInt8>, into sink: inout Sink) {
        guard let ink = t.ink else {
            sample(source, box: box, t, bank: bank, reach: reach, into: &sink)
            return
        }
        let styled = restyle(source, scratch, box: box, ink)
        var inkSink = InkSink(base: sink, tone: tones + ink.tone * 256, noise: ink.noise, seed: ink.noiseSeed)
        sample(source, box: styled, t, bank: bank, reach: reach, into: &inkSink)
        sink = inkSink.base
    }

    /// Image `index` of `images` under `t`, written as bytes to image `index` of `out` (which
    /// is zero there).
    static func resample(_ images: [UInt8], index: Int, _ t: Distortion, fields: [Float], reach: Float, tones: [UInt8],
                         into out: inout [UInt8]) {
        let b = inkBoxes(Array(images[(index * 784)..<((index + 1) * 784)]), count: 1)[0]
        guard b.z >= 0 else { return }
        let buffers = SamplerBuffers()
        images.withUnsafeBufferPointer { image in
            fields.withUnsafeBufferPointer { bank in
                tones.withUnsafeBufferPointer { curves in
                    out.withUnsafeMutableBufferPointer { destination in
                        pad(image.baseAddress!, index, into: buffers.source)
                        var sink = ByteSink(pixels: destination.baseAddress! + index * 784)
                        distortOne(buffers.source, buffers.scratch, box: (Int(b.x), Int(b.y), Int(b.z), Int(b.w)), t,
                                   bank: bank.baseAddress ?? UnsafePointer(buffers.source), reach: reach,
                                   tones: curves.baseAddress ?? UnsafePointer(image.baseAddress!), into: &sink)
                    }
                }
            }
        }
    }

    /// The nonzero inputs of images `range` of `images` under their distortions, appended
    /// straight to `indices` and `values` (no intermediate image, no blank pixel visited), with
    /// each image's end position appended to `ends`.
    static func distortSparse(_ images: [UInt8], range: Range<Int>, boxes: [SIMD4<Int32>], distortion: (Int) -> Distortion,
                              fields: [Float], reach: Float, tones: [UInt8], table: [Float],
                              indices: inout [Int32], values: inout [Float], ends: inout [Int]) {
        let buffers = SamplerBuffers()
        images.withUnsafeBufferPointer { image in
            fields.withUnsafeBufferPointer { bank in
                tones.withUnsafeBufferPointer { curves in
                    table.withUnsafeBufferPointer { scale in
                        let bankBase = bank.baseAddress ?? UnsafePointer(buffers.source)
                        let toneBase = curves.baseAddress ?? UnsafePointer(image.baseAddress!)
                        for n in range {
                            let b = boxes[n]
                            var sink = SparseSink(table: scale.baseAddress!, indices: buffers.slotIndex, values: buffers.slotValue)
                            if b.z >= 0 {
                                pad(image.baseAddress!, n, into: buffers.source)
                                distortOne(buffers.source, buffers.scratch, box: (Int(b.x), Int(b.y), Int(b.z), Int(b.w)),
                                           distortion(n), bank: bankBase, reach: reach, tones: toneBase, into: &sink)
                            }
                            // Pixels were visited row by row, so the indices are in order.
                            indices.append(contentsOf: UnsafeBufferPointer(start: buffers.slotIndex, count: sink.count))
                            values.append(contentsOf: UnsafeBufferPointer(start: buffers.slotValue, count: sink.count))
                            ends.append(indices.count)
                        }
                    }
                }
            }
        }
    }

    /// Collects the nonzero inputs of one raw image: x_i = table[p_i]. Returns their count.
    @inline(__always)
    private static func gather(_ pixels: UnsafePointer<UInt8>, count: Int, table: UnsafePointer<Float>,
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
    private static func forward(_ p: PackedNetwork, active: UnsafePointer<Int32>, values: UnsafePointer<Float>,
                                count m: Int, _ ws: Workspace) {
        let w = p.width
        let h = ws.h
        let (W_ih, b_h) = (p.W_ih, p.b_h)
        // z_h = b_h + Σ_i x_i · W_ih[i, :]
        var v = 0
        while v + 4 <= w {
            var a0 = b_h[v], a1 = b_h[v + 1], a2 = b_h[v + 2], a3 = b_h[v + 3]
            for a in 0..<m {
                let row = W_ih + Int(active[a]) * w + v
                let x = Vector(repeating: values[a])
                a0 = a0.addingProduct(x, row[0])
                a1 = a1.addingProduct(x, row[1])
                a2 = a2.addingProduct(x, row[2])
                a3 = a3.addingProduct(x, row[3])
            }
            h[v] = a0; h[v + 1] = a1; h[v + 2] = a2; h[v + 3] = a3
            v += 4
        }
        while v < w {
            var a0 = b_h[v]
            for a in 0..<m {
                a0 = a0.addingProduct(Vector(repeating: values[a]), W_ih[Int(active[a]) * w + v])
            }
            h[v] = a0
            v += 1
        }
        // h = σ(z_h); padded units are held at 0.
        let hFloats = UnsafeMutableRawPointer(h).assumingMemoryBound(to: Float.self)
        sigmoidInPlace(hFloats, count: w * 8)
        for j in p.hiddenCount..<(w * 8) { hFloats[j] = 0 }
        // z_o[k] = b_o[k] + W_hoᵀ[k, :] · h
        let O = p.outputCount
        for k in 0..<O {
            let row = p.W_hoT + k * w
            var sum = Vector()
            for v in 0..<w { sum = sum.addingProduct(row[v], h[v]) }
            ws.o[k] = p.b_o[k] + sum.sum()
        }
        switch p.outputLayer {
        case .sigmoid:
            sigmoidInPlace(ws.o, count: O)
        case .softmax:
            var maximum = ws.o[0]
            for k in 1..<O { maximum = max(maximum, ws.o[k]) }
            var total: Float = 0
            for k in 0..<O {
                ws.o[k] = fastExp(ws.o[k] - maximum)
                total += ws.o[k]
            }
            let inverse = 1 / total
            for k in 0..<O { ws.o[k] *= inverse }
        }
    }

    /// The output and hidden deltas of one example (Network.backprop): δ_o from the loss, the
    /// signal `back` sent to the hidden layer (δ_o, or o − t under doc 001's rule), and
    /// δ_h = (W_ho·back) ⊙ h ⊙ (1 − h) (doc 000 eq. 8, with W_ho before this step's update).
    /// Returns the example's loss J, and counts a hit in `ws` when the largest output is the label.
    @inline(__always)
    private static func deltas(_ p: PackedNetwork, label: Int, _ s: StepSettings, _ ws: Workspace) -> Double {
        let (w, O) = (p.width, p.outputCount)
        var best = 0
        for k in 1..<O where ws.o[k] > ws.o[best] { best = k }
        // A picture that is no digit is right when no output claims it (none reaches ½).
        let isDigit = label < O
        if isDigit ? best == label : ws.o[best] < 0.5 { ws.hits += 1 }
        let other = isDigit ? s.targets.low : s.targets.nonDigitLevel(count: O, loss: s.loss)
        var J = 0.0
        for k in 0..<O {
            let o = ws.o[k]
            let t = k == label ? s.targets.high : other
            let diff = o - t
            switch s.loss {
            case .mse:
                J += 0.5 * Double(diff * diff)  // doc 000 eq. 3
                ws.delta_o[k] = diff * (o * (1 - o))  // doc 000 eq. 7
            case .crossEntropy:
                if t != 0 { J -= Double(t) * log(Double(max(o, 1e-30))) }  // doc 003
                ws.delta_o[k] = diff  // doc 003: δ = o − t
            }
            ws.back[k] = s.rule == .exact ? ws.delta_o[k] : diff
        }
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
    /// rows of nonzero inputs only.
    @inline(__always)
    private static func addOuter(into W: UnsafeMutablePointer<Vector>, width w: Int, rows: UnsafePointer<Int32>,
                                 values: UnsafePointer<Float>, count m: Int, _ d: UnsafeMutablePointer<Vector>) {
        var v = 0
        while v + 4 <= w {
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
        while v < w {
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
    private static func decay(_ p: PackedNetwork, rate: Float, l2: Float) {
        guard l2 != 0 else { return }
        let factor = Vector(repeating: 1 - rate * l2)
        for i in 0..<(p.inputCount * p.width) { p.W_ih[i] *= factor }
        for i in 0..<(p.outputCount * p.width) { p.W_hoT[i] *= factor }
    }

    /// Phase 1 of a mini-batch step, for the examples at `positions` of `order`: the forward
    /// pass and the deltas of each, against the weights as they were at the batch's start, kept
    /// in `batch` already multiplied by −α/K (doc 000 §6). Returns their summed loss.
    private static func backward(_ p: PackedNetwork, _ data: EpochData, positions: Range<Int>, batchStart: Int,
                                 scale: Float, _ s: StepSettings, _ ws: Workspace, _ batch: BatchBuffers) -> Double {
        let (w, O) = (p.width, p.outputCount)
        let minusScale = Vector(repeating: -scale)
        var loss = 0.0
        for position in positions {
            let n = Int(data.order[position])
            let first = data.offsets[n], m = data.offsets[n + 1] - first
            forward(p, active: data.indices + first, values: data.values + first, count: m, ws)
            loss += deltas(p, label: Int(data.labels[n]), s, ws)
            let slot = position - batchStart
            let h = batch.h + slot * w, delta_h = batch.delta_h + slot * w
            for v in 0..<w {
                h[v] = ws.h[v]
                delta_h[v] = ws.delta_h[v] * minusScale
            }
            for k in 0..<O { batch.delta_o[slot * O + k] = -scale * ws.delta_o[k] }
        }
        return loss
    }

    /// Phase 2 of a mini-batch step, for the hidden units in vectors `columns`: each example's
    /// rank-1 updates W_ih −= (α/K)·x·δ_hᵀ, W_ho −= (α/K)·h·δ_oᵀ and b_h −= (α/K)·δ_h, in
    /// example order (doc 000 §6), added into `p` — the weights themselves, or the step buffer
    /// of momentum.
    private static func update(_ p: PackedNetwork, _ data: EpochData, positions: Range<Int>, columns: Range<Int>,
                               useBias: Bool, _ batch: BatchBuffers) {
        let (w, O) = (p.width, p.outputCount)
        for position in positions {
            let slot = position - positions.lowerBound
            let n = Int(data.order[position])
            let first = data.offsets[n], m = data.offsets[n + 1] - first
            let active = data.indices + first, values = data.values + first
            let delta_h = batch.delta_h + slot * w, h = batch.h + slot * w
            for a in 0..<m {
                let row = p.W_ih + Int(active[a]) * w
                let x = Vector(repeating: values[a])
                for v in columns { row[v] = row[v].addingProduct(x, delta_h[v]) }
            }
            for k in 0..<O {
                let d = Vector(repeating: batch.delta_o[slot * O + k])
                let row = p.W_hoT + k * w
                for v in columns { row[v] = row[v].addingProduct(d, h[v]) }
            }
            if useBias {
                for v in columns { p.b_h[v] += delta_h[v] }
                for k in 0..<O { p.b_o[k] += batch.delta_o[slot * O + k] }
            }
        }
    }

    /// The momentum step, once the batch's step G (−α times the averaged gradient) is in
    /// `m.step`: with weight decay G −= α·λ·W on the weights, then V ← μV + G and
    /// W ← W + V (classical) or W ← W + μV + G (Nesterov's look-ahead, in the form of
    /// Sutskever et al. 2013); G is cleared for the next batch.
    private static func applyMomentum(_ p: PackedNetwork, _ m: MomentumState, mu: Float, nesterov: Bool, decay: Float) {
        let mu = Vector(repeating: mu)
        let minusDecay = Vector(repeating: -decay)
        @inline(__always) func combine(_ P: UnsafeMutablePointer<Vector>, _ V: UnsafeMutablePointer<Vector>,
                                       _ G: UnsafeMutablePointer<Vector>, count: Int, weights: Bool) {
            for i in 0..<count {
                var g = G[i]
                if weights && decay != 0 { g = g.addingProduct(minusDecay, P[i]) }
                let v = g.addingProduct(V[i], mu)
                V[i] = v
                P[i] += nesterov ? g.addingProduct(v, mu) : v
                G[i] = Vector()
            }
        }
        let (I, O, w) = (p.inputCount, p.outputCount, p.width)
        combine(p.W_ih, m.velocity.W_ih, m.step.W_ih, count: I * w, weights: true)
        combine(p.W_hoT, m.velocity.W_hoT, m.step.W_hoT, count: O * w, weights: true)
        combine(p.b_h, m.velocity.b_h, m.step.b_h, count: w, weights: false)
        let muScalar = mu[0]
        for k in 0..<O {
            let g = m.step.b_o[k]
            let v = g.addingProduct(m.velocity.b_o[k], muScalar)
            m.velocity.b_o[k] = v
            p.b_o[k] += nesterov ? g.addingProduct(v, muScalar) : v
            m.step.b_o[k] = 0
        }
    }

    /// Trains over `order` (indices into `inputs`) once, updating `p` in place: per example
    /// when the batch size is 1 (doc 001), else by averaged mini-batch gradients (doc 000 §6):
    /// all the batch's deltas against the same weights, then its updates; with `threads` 2 the
    /// deltas of the batch's first half come from a second thread, with the same result. Returns the summed loss,
    /// how many examples the network got right before their step, and how many were seen;
    /// stops early, at a batch boundary, when `shouldStop` says so.
    static func trainEpoch(_ p: PackedNetwork, inputs: SparseInputs, labels: [UInt8], order: [Int32],
                           settings s: StepSettings, workspace ws: Workspace, helper: Workspace, threads: Int = 2,
                           momentum: MomentumState? = nil,
                           progress: (Int) -> Void, shouldStop: () -> Bool) -> (loss: Double, hits: Int, seen: Int) {
        ws.hits = 0
        helper.hits = 0
        let useBias = s.rule == .exact
        let K = max(1, s.batchSize)
        let perExample = K == 1 && momentum == nil
        let batch = BatchBuffers(size: perExample ? 0 : K, width: p.width, outputs: p.outputCount)
        // The current batch, as the second thread reads it (written before each post).
        nonisolated(unsafe) var batchRange = 0..<0
        nonisolated(unsafe) var batchScale: Float = 0
        let (w, O) = (p.width, p.outputCount)
        let rateStep = order.isEmpty ? 0 : (s.learningRateEnd - s.learningRate) / Float(order.count)
        return inputs.indices.withUnsafeBufferPointer { allIndices in
            inputs.values.withUnsafeBufferPointer { allValues in
                inputs.offsets.withUnsafeBufferPointer { offsets in
                    labels.withUnsafeBufferPointer { labelBuffer in
                        order.withUnsafeBufferPointer { orderBuffer in
            let data = EpochData(indices: allIndices.baseAddress!, values: allValues.baseAddress!,
                                 offsets: offsets.baseAddress!, labels: labelBuffer.baseAddress!, order: orderBuffer.baseAddress!)
            // A second thread takes the first half of each batch's examples. (Splitting the
            // update by columns as well was measured: it made cache lines of W_ih bounce
            // between the cores and ran 5× slower.)
            let worker = !perExample && threads > 1 ? BatchWorker { _, range in
                backward(p, data, positions: range, batchStart: batchRange.lowerBound, scale: batchScale, s, helper, batch)
            } : nil
            defer { worker?.stop() }
            var lossSum = 0.0
            var seen = 0
            var start = 0
            while start < order.count {
                if shouldStop() { break }
                let end = min(start + K, order.count)
                let lr = s.learningRate + rateStep * Float(start)
                if perExample {
                    let n = Int(data.order[start])
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
                } else {
                    let mid = start + (end - start + 1) / 2
                    batchRange = start..<end
                    batchScale = lr / Float(end - start)
                    var firstLoss = 0.0
                    if let worker { worker.post(1, start..<mid) } else {
                        firstLoss = backward(p, data, positions: start..<mid, batchStart: start, scale: batchScale, s, helper, batch)
                    }
                    let secondLoss = backward(p, data, positions: mid..<end, batchStart: start, scale: batchScale, s, ws, batch)
                    if let worker { firstLoss = worker.wait() }
                    lossSum += firstLoss + secondLoss
                    if let momentum {
                        update(momentum.step, data, positions: start..<end, columns: 0..<w, useBias: useBias, batch)
                        applyMomentum(p, momentum, mu: s.momentum, nesterov: s.nesterov, decay: lr * s.l2)
                    } else {
                        decay(p, rate: lr, l2: s.l2)
                        update(p, data, positions: start..<end, columns: 0..<w, useBias: useBias, batch)
                    }
                }
                let before = seen
                seen += end - start
                start = end
                if seen / 2048 != before / 2048 { progress(seen) }
            }
            progress(seen)
            return (lossSum, ws.hits + helper.hits, seen)
                        }
                    }
                }
            }
        }
    }

    /// The output layer's values for images `range` of `images`: range.count × outputs
    /// scores, row-major, written to `scores`.
    private static func predict(_ p: PackedNetwork, images: UnsafePointer<UInt8>, range: Range<Int>, table: UnsafePointer<Float>,
                                scores: UnsafeMutablePointer<Float>) {
        let ws = Workspace(for: p)
        let (I, O) = (p.inputCount, p.outputCount)
        for n in range {
            let m = gather(images + n * I, count: I, table: table, into: ws)
            forward(p, active: ws.active, values: ws.values, count: m, ws)
            (scores + n * O).update(from: ws.o, count: O)
        }
    }

    /// The output layer's values for every image: count × outputs scores, row-major. Large
    /// sets are split between two threads, each with its own workspace.
    static func predict(_ network: Network, images: [UInt8], count: Int, table: [Float]) -> [Float] {
        let p = PackedNetwork(network)
        let O = network.outputCount
        var scores = [Float](repeating: 0, count: count * O)
        images.withUnsafeBufferPointer { imageBuffer in
            table.withUnsafeBufferPointer { tableBuffer in
                scores.withUnsafeMutableBufferPointer { out in
                    let (images, table, scores) = (imageBuffer.baseAddress!, tableBuffer.baseAddress!, out.baseAddress!)
                    if count < 2000 {
                        predict(p, images: images, range: 0..<count, table: table, scores: scores)
                    } else {
                        let half = count / 2
                        let other = Thread2 { predict(p, images: images, range: half..<count, table: table, scores: scores) }
                        predict(p, images: images, range: 0..<half, table: table, scores: scores)
                        other.join()
                    }
                }
            }
        }
        return scores
    }
}

/// A second thread for one piece of work, joined before its inputs go away.
private final class Thread2: @unchecked Sendable {
    private var thread = pthread_t()
    private var started = false
    private let body: () -> Void

    init(_ body: @escaping () -> Void) {
        self.body = body
        let context = Unmanaged.passRetained(self).toOpaque()
        let status = pthread_create(&thread, nil, { context in
            let me = Unmanaged<Thread2>.fromOpaque(context!).takeRetainedValue()
            me.body()
            return nil
        }, context)
        if status == 0 {
            started = true
        } else {
            // No thread: do the work here instead.
            Unmanaged<Thread2>.fromOpaque(context).release()
            body()
        }
    }

    func join() {
        if started { pthread_join(thread, nil) }
    }
}

/// A second thread that takes one half of each mini-batch's work while the caller does the other.
/// Handing work over is a store and a spin on an atomic counter, a fraction of a microsecond,
/// because a batch of 10 takes only a few microseconds to sum.
private final class BatchWorker: @unchecked Sendable {
    private let posted = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private var range = 0..<0
    private var result = 0.0
    private var generation = 0
    private var thread = pthread_t()
    private var started = false
    private var job = 0
    private let work: (Int, Range<Int>) -> Double

    init?(_ work: @escaping (Int, Range<Int>) -> Double) {
        self.work = work
        let context = Unmanaged.passRetained(self).toOpaque()
        guard pthread_create(&thread, nil, { context in
            Unmanaged<BatchWorker>.fromOpaque(context!).takeRetainedValue().loop()
            return nil
        }, context) == 0 else {
            Unmanaged<BatchWorker>.fromOpaque(context).release()
            return nil
        }
        started = true
    }

    private func loop() {
        var seen = 0
        while true {
            var spins = 0
            var next = posted.load(ordering: .acquiring)
            while next == seen {
                spins += 1
                if spins > 4096 { sched_yield() }
                next = posted.load(ordering: .acquiring)
            }
            if next < 0 { return }
            seen = next
            result = work(job, range)
            finished.store(next, ordering: .releasing)
        }
    }

    /// Starts `job` over `range` on the second thread.
    func post(_ job: Int, _ range: Range<Int>) {
        self.job = job
        self.range = range
        generation += 1
        posted.store(generation, ordering: .releasing)
    }

    /// Waits for the posted job; returns what it returned.
    func wait() -> Double {
        var spins = 0
        while finished.load(ordering: .acquiring) != generation {
            spins += 1
            if spins > 4096 { sched_yield() }
        }
        return result
    }

    func stop() {
        guard started else { return }
        posted.store(-1, ordering: .releasing)
        pthread_join(thread, nil)
        started = false
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The fast path of training and inference. Every formula here is one of Network.feedforward,
// Network.backprop or Network.update, fused and specialised; the tests hold these kernels to
// those plain versions. This is the only file with unsafe pointers.

/// The settings a training step needs, resolved to numbers.
struct StepSettings {
    /// The learning rate at the first step of the epoch; it moves in a straight line to
    /// `learningRateEnd` at the last (a schedule, one segment per epoch).
    var learningRate: Float
    var learningRateEnd: Float
    var l2: Float
    var batchSize: Int
    var rule: Rule
    var loss: Loss
    var inputTable: [Float]
    var targets: TargetEncoding
}

/// Scratch space for the kernels, allocated once per run so the epoch loop allocates nothing.
final class Workspace {
    let inputCount: Int, hiddenCount: Int, outputCount: Int
    /// The nonzero inputs of the current example: their indices and values.
    let active: UnsafeMutablePointer<Int32>
    let values: UnsafeMutablePointer<Float>
    let h: UnsafeMutablePointer<Float>
    let delta_h: UnsafeMutablePointer<Float>
    let o: UnsafeMutablePointer<Float>
    let delta_o: UnsafeMutablePointer<Float>
    let back: UnsafeMutablePointer<Float>
    /// Gradient sums of a mini-batch (doc 000 §6's ΔW, Δb).
    let G_ih: UnsafeMutablePointer<Float>
    let G_ho: UnsafeMutablePointer<Float>
    let g_h: UnsafeMutablePointer<Float>
    let g_o: UnsafeMutablePointer<Float>
    /// Rows of G_ih written in the current batch, so only those are applied and cleared.
    let touched: UnsafeMutablePointer<Bool>
    let touchedList: UnsafeMutablePointer<Int32>
    var touchedCount = 0

    init(inputCount: Int, hiddenCount: Int, outputCount: Int) {
        self.inputCount = inputCount
        self.hiddenCount = hiddenCount
        self.outputCount = outputCount
        func zeros<T: Numeric>(_ n: Int, _: T.Type) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            return p
        }
        active = zeros(inputCount, Int32.self)
        values = zeros(inputCount, Float.self)
        h = zeros(hiddenCount, Float.self)
        delta_h = zeros(hiddenCount, Float.self)
        o = zeros(outputCount, Float.self)
        delta_o = zeros(outputCount, Float.self)
        back = zeros(outputCount, Float.self)
        G_ih = zeros(inputCount * hiddenCount, Float.self)
        G_ho = zeros(hiddenCount * outputCount, Float.self)
        g_h = zeros(hiddenCount, Float.self)
        g_o = zeros(outputCount, Float.self)
        touched = .allocate(capacity: inputCount)
        touched.initialize(repeating: false, count: inputCount)
        touchedList = zeros(inputCount, Int32.self)
    }

    deinit {
        for p in [values, h, delta_h, o, delta_o, back, G_ih, G_ho, g_h, g_o] { p.deallocate() }
        active.deallocate()
        touched.deallocate()
        touchedList.deallocate()
    }
}

/// Raw views of a network's parameters for the duration of one kernel call.
private struct Parameters {
    let W_ih: UnsafeMutablePointer<Float>
    let W_ho: UnsafeMutablePointer<Float>
    let b_h: UnsafeMutablePointer<Float>
    let b_o: UnsafeMutablePointer<Float>
    let I: Int, H: Int, O: Int
}

private func withParameters<R>(_ network: inout Network, _ body: (Parameters) -> R) -> R {
    let (I, H, O) = (network.inputCount, network.hiddenCount, network.outputCount)
    return network.W_ih.withUnsafeMutableBufferPointer { wih in
        network.W_ho.withUnsafeMutableBufferPointer { who in
            network.b_h.withUnsafeMutableBufferPointer { bh in
                network.b_o.withUnsafeMutableBufferPointer { bo in
                    body(Parameters(W_ih: wih.baseAddress!, W_ho: who.baseAddress!, b_h: bh.baseAddress!,
                                    b_o: bo.baseAddress!, I: I, H: H, O: O))
                }
            }
        }
    }
}

enum Kernels {
    /// Collects the inputs of one image that are not zero: x_i = table[p_i]. Returns their count.
    @inline(__always)
    private static func gather(_ pixels: UnsafePointer<UInt8>, count: Int, table: UnsafePointer<Float>,
                               into ws: Workspace) -> Int {
        var m = 0
        for i in 0..<count {
            let x = table[Int(pixels[i])]
            if x != 0 {
                ws.active[m] = Int32(i)
                ws.values[m] = x
                m += 1
            }
        }
        return m
    }

    /// Forward pass over the gathered inputs: h = σ(W_ihᵀ·x + b_h), o = σ(W_hoᵀ·h + b_o) or
    /// softmax (doc 001's forward). Rows of W_ih for zero inputs are never read.
    @inline(__always)
    private static func forward(_ p: Parameters, active m: Int, _ ws: Workspace, output: OutputLayer) {
        let (H, O) = (p.H, p.O)
        let h = ws.h
        // z_h = b_h + Σ_i x_i · W_ih[i, :]  (W_ihᵀ·x, one contiguous row per nonzero input)
        h.update(from: p.b_h, count: H)
        for a in 0..<m {
            let row = p.W_ih + Int(ws.active[a]) * H
            let x = ws.values[a]
            for j in 0..<H { h[j] += x * row[j] }
        }
        for j in 0..<H { h[j] = sigmoid(h[j]) }
        // z_o = b_o + Σ_j h_j · W_ho[j, :]  (W_hoᵀ·h)
        let o = ws.o
        o.update(from: p.b_o, count: O)
        for j in 0..<H {
            let row = p.W_ho + j * O
            let hj = h[j]
            for k in 0..<O { o[k] += hj * row[k] }
        }
        switch output {
        case .sigmoid:
            for k in 0..<O { o[k] = sigmoid(o[k]) }
        case .softmax:
            var maximum = o[0]
            for k in 1..<O { maximum = max(maximum, o[k]) }
            var sum: Float = 0
            for k in 0..<O {
                o[k] = expf(o[k] - maximum)
                sum += o[k]
            }
            let inv = 1 / sum
            for k in 0..<O { o[k] *= inv }
        }
    }

    /// The output and hidden deltas of one example (Network.backprop): δ_o from the loss, the
    /// signal `back` sent to the hidden layer (δ_o, or o − t under doc 001's rule), and
    /// δ_h = (W_ho·back) ⊙ h ⊙ (1 − h). Returns the example's loss J.
    @inline(__always)
    private static func deltas(_ p: Parameters, label: Int, _ s: StepSettings, _ ws: Workspace) -> Double {
        let (H, O) = (p.H, p.O)
        let o = ws.o
        var J = 0.0
        for k in 0..<O {
            let t = k == label ? s.targets.high : s.targets.low
            let diff = o[k] - t
            switch s.loss {
            case .mse:
                J += 0.5 * Double(diff * diff)  // doc 000 eq. 3
                ws.delta_o[k] = diff * (o[k] * (1 - o[k]))  // doc 000 eq. 7
            case .crossEntropy:
                if t != 0 { J -= Double(t) * log(Double(max(o[k], 1e-30))) }  // doc 003
                ws.delta_o[k] = diff  // doc 003: δ = o − t
            }
            ws.back[k] = s.rule == .exact ? ws.delta_o[k] : diff
        }
        // δ_h = (W_ho·back) ⊙ σ'(z_h)  (doc 000 eq. 8; W_ho before this step's update)
        for j in 0..<H {
            let row = p.W_ho + j * O
            var sum: Float = 0
            for k in 0..<O { sum += row[k] * ws.back[k] }
            ws.delta_h[j] = sum * (ws.h[j] * (1 - ws.h[j]))
        }
        return J
    }

    /// Trains over `order` (indices into `images`) once, updating `network` in place: per
    /// example when the batch size is 1 (doc 001), else by averaged mini-batch gradients
    /// (doc 000 §6). Returns the summed loss and how many examples were seen; stops early
    /// (at a batch boundary) when `shouldStop` says so.
    static func trainEpoch(_ network: inout Network, images: [UInt8], labels: [UInt8], order: [Int32],
                           settings s: StepSettings, workspace ws: Workspace,
                           progress: (Int) -> Void, shouldStop: () -> Bool) -> (loss: Double, seen: Int) {
        let output = network.outputLayer
        let useBias = s.rule == .exact
        let K = max(1, s.batchSize)
        return withParameters(&network) { p in
            images.withUnsafeBufferPointer { imageBuffer in
                s.inputTable.withUnsafeBufferPointer { table in
                    let (I, H, O) = (p.I, p.H, p.O)
                    let rateStep = order.isEmpty ? 0 : (s.learningRateEnd - s.learningRate) / Float(order.count)
                    var lossSum = 0.0
                    var seen = 0
                    var start = 0
                    while start < order.count {
                        if shouldStop() { break }
                        let end = min(start + K, order.count)
                        let lr = s.learningRate + rateStep * Float(start)
                        let decay = 1 - lr * s.l2  // doc 000 §6: W −= αλW
                        if K == 1 {
                            let n = Int(order[start])
                            let m = gather(imageBuffer.baseAddress! + n * I, count: I, table: table.baseAddress!, into: ws)
                            forward(p, active: m, ws, output: output)
                            lossSum += deltas(p, label: Int(labels[n]), s, ws)
                            if s.l2 != 0 {
                                for i in 0..<(I * H) { p.W_ih[i] *= decay }
                                for i in 0..<(H * O) { p.W_ho[i] *= decay }
                            }
                            // W_ho −= α·h·δ_oᵀ, b_o −= α·δ_o  (doc 000 eq. 10, 12)
                            for j in 0..<H {
                                let row = p.W_ho + j * O
                                let step = lr * ws.h[j]
                                for k in 0..<O { row[k] -= step * ws.delta_o[k] }
                            }
                            // W_ih −= α·x·δ_hᵀ over the nonzero inputs' rows, b_h −= α·δ_h
                            for j in 0..<H { ws.delta_h[j] *= lr }
                            for a in 0..<m {
                                let row = p.W_ih + Int(ws.active[a]) * H
                                let x = ws.values[a]
                                for j in 0..<H { row[j] -= x * ws.delta_h[j] }
                            }
                            if useBias {
                                for k in 0..<O { p.b_o[k] -= lr * ws.delta_o[k] }
                                for j in 0..<H { p.b_h[j] -= ws.delta_h[j] }
                            }
                        } else {
                            for position in start..<end {
                                let n = Int(order[position])
                                let m = gather(imageBuffer.baseAddress! + n * I, count: I, table: table.baseAddress!, into: ws)
                                forward(p, active: m, ws, output: output)
                                lossSum += deltas(p, label: Int(labels[n]), s, ws)
                                // ΔW_ho += h·δ_oᵀ, Δb_o += δ_o  (doc 000 §6)
                                for j in 0..<H {
                                    let row = ws.G_ho + j * O
                                    let hj = ws.h[j]
                                    for k in 0..<O { row[k] += hj * ws.delta_o[k] }
                                }
                                for k in 0..<O { ws.g_o[k] += ws.delta_o[k] }
                                // ΔW_ih += x·δ_hᵀ over the nonzero inputs' rows, Δb_h += δ_h
                                for a in 0..<m {
                                    let i = Int(ws.active[a])
                                    if !ws.touched[i] {
                                        ws.touched[i] = true
                                        ws.touchedList[ws.touchedCount] = Int32(i)
                                        ws.touchedCount += 1
                                    }
                                    let row = ws.G_ih + i * H
                                    let x = ws.values[a]
                                    for j in 0..<H { row[j] += x * ws.delta_h[j] }
                                }
                                for j in 0..<H { ws.g_h[j] += ws.delta_h[j] }
                            }
                            // W −= α[(1/K)ΔW + λW], b −= α(1/K)Δb  (doc 000 §6), K = this batch's size
                            let scale = lr / Float(end - start)
                            if s.l2 != 0 {
                                for i in 0..<(I * H) { p.W_ih[i] *= decay }
                                for i in 0..<(H * O) { p.W_ho[i] *= decay }
                            }
                            for t in 0..<ws.touchedCount {
                                let i = Int(ws.touchedList[t])
                                ws.touched[i] = false
                                let row = p.W_ih + i * H
                                let g = ws.G_ih + i * H
                                for j in 0..<H {
                                    row[j] -= scale * g[j]
                                    g[j] = 0
                                }
                            }
                            ws.touchedCount = 0
                            for i in 0..<(H * O) {
                                p.W_ho[i] -= scale * ws.G_ho[i]
                                ws.G_ho[i] = 0
                            }
                            if useBias {
                                for j in 0..<H { p.b_h[j] -= scale * ws.g_h[j] }
                                for k in 0..<O { p.b_o[k] -= scale * ws.g_o[k] }
                            }
                            for j in 0..<H { ws.g_h[j] = 0 }
                            for k in 0..<O { ws.g_o[k] = 0 }
                        }
                        let before = seen
                        seen += end - start
                        start = end
                        if seen / 2048 != before / 2048 { progress(seen) }
                    }
                    progress(seen)
                    return (lossSum, seen)
                }
            }
        }
    }

    /// The output layer's values for every image: count × outputs scores, row-major.
    static func predict(_ network: Network, images: [UInt8], count: Int, table inputTable: [Float]) -> [Float] {
        var copy = network
        let O = network.outputCount
        let ws = Workspace(inputCount: network.inputCount, hiddenCount: network.hiddenCount, outputCount: O)
        var scores = [Float](repeating: 0, count: count * O)
        let output = network.outputLayer
        withParameters(&copy) { p in
            images.withUnsafeBufferPointer { imageBuffer in
                inputTable.withUnsafeBufferPointer { table in
                    scores.withUnsafeMutableBufferPointer { out in
                        for n in 0..<count {
                            let m = gather(imageBuffer.baseAddress! + n * p.I, count: p.I, table: table.baseAddress!, into: ws)
                            forward(p, active: m, ws, output: output)
                            (out.baseAddress! + n * O).update(from: ws.o, count: O)
                        }
                    }
                }
            }
        }
        return scores
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The network's parameters in the kernels' layout, for the length of a training run.
package final class PackedNetwork {
    package let inputCount: Int, hiddenCount: Int, outputCount: Int
    /// Vectors per hidden row: Hp = 8 · width.
    package let width: Int
    /// Whether the output layer is softmax (else sigmoid).
    package let softmax: Bool
    /// W_ih, inputs × Hp.
    package let W_ih: UnsafeMutablePointer<Vector>
    /// W_hoᵀ, outputs × Hp.
    package let W_hoT: UnsafeMutablePointer<Vector>
    package let b_h: UnsafeMutablePointer<Vector>
    package let b_o: UnsafeMutablePointer<Float>

    /// Zero parameters for an inputs-hidden-outputs network (`softmax`: the output layer).
    package init(inputCount: Int, hiddenCount: Int, outputCount: Int, softmax: Bool) {
        self.inputCount = inputCount
        self.hiddenCount = hiddenCount
        self.outputCount = outputCount
        width = (hiddenCount + 7) / 8
        self.softmax = softmax
        W_ih = vectors(inputCount * width)
        W_hoT = vectors(outputCount * width)
        b_h = vectors(width)
        b_o = .allocate(capacity: outputCount)
        b_o.initialize(repeating: 0, count: outputCount)
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

    /// Copies parameters in doc 001's plain layout in: W_ih (inputs × hidden), W_ho (hidden ×
    /// outputs), b_h, b_o (padding stays zero).
    package func load(W_ih wih: [Float], W_ho who: [Float], b_h bh: [Float], b_o bo: [Float]) {
        let (H, O, Hp) = (hiddenCount, outputCount, width * 8)
        precondition(wih.count == inputCount * H && who.count == H * O && bh.count == H && bo.count == O, "parameters of the wrong size")
        for i in 0..<inputCount {
            for j in 0..<H { floatsIH[i * Hp + j] = wih[i * H + j] }
        }
        for j in 0..<H {
            for k in 0..<O { floatsHO[k * Hp + j] = who[j * O + k] }
            floatsBH[j] = bh[j]
        }
        for k in 0..<O { b_o[k] = bo[k] }
    }

    /// The parameters in doc 001's plain layout: (W_ih, W_ho, b_h, b_o).
    package func parameters() -> (W_ih: [Float], W_ho: [Float], b_h: [Float], b_o: [Float]) {
        let (H, O, Hp) = (hiddenCount, outputCount, width * 8)
        var wih = [Float](repeating: 0, count: inputCount * H), who = [Float](repeating: 0, count: H * O)
        var bh = [Float](repeating: 0, count: H), bo = [Float](repeating: 0, count: O)
        for i in 0..<inputCount {
            for j in 0..<H { wih[i * H + j] = floatsIH[i * Hp + j] }
        }
        for j in 0..<H {
            for k in 0..<O { who[j * O + k] = floatsHO[k * Hp + j] }
            bh[j] = floatsBH[j]
        }
        for k in 0..<O { bo[k] = b_o[k] }
        return (wih, who, bh, bo)
    }
}

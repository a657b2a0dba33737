#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hidden layer's activation, as the kernels compute it (DigitsKit's `HiddenActivation`).
package enum KernelActivation: Sendable {
    case sigmoid, tanh, relu
}

/// The parameters of a network of any depth in the kernels' layout, for the length of a run:
/// layer l's W is n_l rows (one per unit below) of `widths[l]` vectors, its units padded to a
/// multiple of 8 with zero weights and biases, so every row is a run of whole SIMD vectors.
package final class PackedLayers {
    /// n_0 … n_L, input first.
    package let sizes: [Int]
    /// Vectors per row of layer l's W (its units, padded): (n_(l+1) + 7) / 8.
    package let widths: [Int]
    package let W: [UnsafeMutablePointer<Vector>]
    package let b: [UnsafeMutablePointer<Vector>]
    package let activation: KernelActivation
    /// Whether the output layer is softmax (else sigmoid).
    package let softmax: Bool

    /// Zero parameters for a network of layer sizes `sizes`.
    package init(sizes: [Int], activation: KernelActivation, softmax: Bool) {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 >= 1 })
        self.sizes = sizes
        widths = sizes.dropFirst().map { ($0 + 7) / 8 }
        W = (0..<sizes.count - 1).map { l in vectors(sizes[l] * ((sizes[l + 1] + 7) / 8)) }
        b = (0..<sizes.count - 1).map { l in vectors((sizes[l + 1] + 7) / 8) }
        self.activation = activation
        self.softmax = softmax
    }

    /// Zero parameters shaped as `p` (momentum's velocity and step).
    package convenience init(shapedAs p: PackedLayers) {
        self.init(sizes: p.sizes, activation: p.activation, softmax: p.softmax)
    }

    deinit {
        for p in W { p.deallocate() }
        for p in b { p.deallocate() }
    }

    package var layerCount: Int { W.count }

    /// Copies layer l's parameters in from doc 001's plain layout: W (n_l × n_(l+1)), b.
    package func load(layer l: Int, W plain: [Float], b bias: [Float]) {
        let (I, O, Op) = (sizes[l], sizes[l + 1], widths[l] * 8)
        precondition(plain.count == I * O && bias.count == O, "parameters of the wrong size")
        let w = floats(W[l]), bl = floats(b[l])
        for i in 0..<I {
            for j in 0..<O { w[i * Op + j] = plain[i * O + j] }
        }
        for j in 0..<O { bl[j] = bias[j] }
    }

    /// Layer l's parameters in doc 001's plain layout.
    package func parameters(layer l: Int) -> (W: [Float], b: [Float]) {
        let (I, O, Op) = (sizes[l], sizes[l + 1], widths[l] * 8)
        let w = floats(W[l]), bl = floats(b[l])
        var plain = [Float](repeating: 0, count: I * O)
        for i in 0..<I {
            for j in 0..<O { plain[i * O + j] = w[i * Op + j] }
        }
        return (plain, (0..<O).map { bl[$0] })
    }
}

/// The vectors at `p` as floats.
@inline(__always)
package func floats(_ p: UnsafeMutablePointer<Vector>) -> UnsafeMutablePointer<Float> {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
}

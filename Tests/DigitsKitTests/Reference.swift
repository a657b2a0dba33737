@testable import DigitsKit

/// An independent forward pass and loss in Double, written from the formulas as scalar sums,
/// for finite-difference checks of the Float code.
enum Reference {
    static func loss(_ n: Network, x: [Float], t: [Float], loss: Loss) -> Double {
        func f(_ z: Double) -> Double {
            switch n.hiddenActivation {
            case .sigmoid: return 1 / (1 + exp(-z))
            case .tanh: return tanh(z)
            case .relu: return max(0, z)
            }
        }
        var a = x.map(Double.init)
        var z: [Double] = []
        for (l, layer) in n.layers.enumerated() {
            let (I, O) = (layer.inputCount, layer.outputCount)
            z = (0..<O).map { j in (0..<I).reduce(Double(layer.b[j])) { $0 + Double(layer.W[$1 * O + j]) * a[$1] } }
            if l < n.layers.count - 1 { a = z.map(f) }
        }
        let O = n.outputCount
        switch loss {
        case .mse:
            return (0..<O).reduce(0.0) { sum, k in let d = 1 / (1 + exp(-z[k])) - Double(t[k]); return sum + 0.5 * d * d }
        case .crossEntropy:
            let m = z.max()!
            let logSum = log(z.reduce(0.0) { $0 + exp($1 - m) }) + m
            return (0..<O).reduce(0.0) { $0 - Double(t[$1]) * (z[$1] - logSum) }
        }
    }

    /// A small network with every weight and bias set to something nonzero and distinct.
    static func network(inputs: Int, hidden: Int, outputs: Int, output: OutputLayer = .sigmoid, seed: UInt64 = 7) -> Network {
        var r = Random(seed: seed)
        func values(_ n: Int) -> [Float] { (0..<n).map { _ in Float(r.normal(sd: 0.8)) } }
        return Network(inputCount: inputs, hiddenCount: hidden, outputCount: outputs,
                       W_ih: values(inputs * hidden), W_ho: values(hidden * outputs),
                       b_h: values(hidden), b_o: values(outputs), outputLayer: output)
    }

    /// A network of any depth with every weight and bias nonzero and distinct.
    static func network(sizes: [Int], activation: HiddenActivation, output: OutputLayer = .sigmoid, seed: UInt64 = 7) -> Network {
        var r = Random(seed: seed)
        func values(_ n: Int) -> [Float] { (0..<n).map { _ in Float(r.normal(sd: 0.8)) } }
        let layers = (1..<sizes.count).map { l in
            Layer(inputCount: sizes[l - 1], outputCount: sizes[l], W: values(sizes[l - 1] * sizes[l]), b: values(sizes[l]))
        }
        return Network(layers: layers, hiddenActivation: activation, outputLayer: output)
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Doc 001's names for the parameters of a network of one hidden layer, so that the tests of
/// that network read as the documents write it.
extension Network {
    var hiddenCount: Int { precondition(layers.count == 2); return layers[0].outputCount }
    var W_ih: [Float] { get { layers[0].W } _modify { yield &layers[0].W } }
    var W_ho: [Float] { get { layers[1].W } _modify { yield &layers[1].W } }
    var b_h: [Float] { get { layers[0].b } _modify { yield &layers[0].b } }
    var b_o: [Float] { get { layers[1].b } _modify { yield &layers[1].b } }
}

extension Network.Activations {
    var h: [Float] { a[1] }
    var z_h: [Float] { z[0] }
}

extension Gradient {
    var W_ih: [Float] { get { layers[0].W } _modify { yield &layers[0].W } }
    var W_ho: [Float] { get { layers[1].W } _modify { yield &layers[1].W } }
    var b_h: [Float] { get { layers[0].b } _modify { yield &layers[0].b } }
    var b_o: [Float] { get { layers[1].b } _modify { yield &layers[1].b } }
}

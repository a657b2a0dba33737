@testable import DigitsKit

/// An independent forward pass and loss in Double, written from the formulas as scalar sums,
/// for finite-difference checks of the Float code.
enum Reference {
    static func loss(_ n: Network, x: [Float], t: [Float], loss: Loss) -> Double {
        let (I, H, O) = (n.inputCount, n.hiddenCount, n.outputCount)
        func s(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
        var h = [Double](repeating: 0, count: H)
        for j in 0..<H {
            var z = Double(n.b_h[j])
            for i in 0..<I { z += Double(n.W_ih[i * H + j]) * Double(x[i]) }
            h[j] = s(z)
        }
        var z = [Double](repeating: 0, count: O)
        for k in 0..<O {
            z[k] = Double(n.b_o[k])
            for j in 0..<H { z[k] += Double(n.W_ho[j * O + k]) * h[j] }
        }
        switch loss {
        case .mse:
            return (0..<O).reduce(0.0) { sum, k in let d = s(z[k]) - Double(t[k]); return sum + 0.5 * d * d }
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
}

#if canImport(Glibc)
import Glibc
#endif

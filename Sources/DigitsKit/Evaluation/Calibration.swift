import Foundation

/// What turns a network's outputs into probabilities a person can trust, and the thresholds
/// below which an answer is called unsure or not a digit — all fitted on the validation split
/// (held-out training images), never on the test set, and stored in the model's metadata.
///
/// Probabilities are softmax(z/T) of the output layer's pre-activations z (Guo et al. 2017,
/// "On Calibration of Modern Neural Networks", temperature scaling): for a softmax model T = 1
/// is its own probability; for doc 001's sigmoid outputs, whose ten scores need not sum to 1,
/// the same z give a distribution once T is fitted. T changes no answer, only how sure it is.
public struct Calibration: Sendable, Equatable {
    /// T: z is divided by it before the softmax.
    public var temperature: Float
    /// Answers whose probability is below this are unsure (the two most likely digits are given).
    public var unsureBelow: Float
    /// Answers whose probability is below this are "not a digit".
    public var notADigitBelow: Float
    /// Whether these were fitted on a validation split (false: T = 1 and fixed thresholds).
    public var fitted: Bool

    /// A model that was never calibrated: softmax of z as it is, fixed thresholds.
    public static let uncalibrated = Calibration(temperature: 1, unsureBelow: 0.8, notADigitBelow: 0.3, fitted: false)

    /// Answers at or above the unsure threshold must be this accurate on the validation split.
    public static let sureAccuracy = 0.995
    /// At most this share of the validation split's digits may fall below the not-a-digit threshold.
    public static let digitsRejected = 0.001

    /// softmax(z / T).
    public func probabilities(_ z: [Float]) -> [Float] {
        var p = z.map { $0 / temperature }
        OutputLayer.softmax.apply(&p)
        return p
    }

    /// Fits T by minimising the negative log-likelihood of `labels` on the validation split
    /// (golden-section search over log T in [−4, 4]: the likelihood is unimodal in T), then
    /// the thresholds on the calibrated probabilities.
    public static func fit(logits: [[Float]], labels: [Int]) -> Calibration {
        precondition(logits.count == labels.count && !logits.isEmpty)
        func nll(_ logT: Double) -> Double {
            let t = Float(exp(logT))
            var total = 0.0
            for (z, label) in zip(logits, labels) {
                let m = z.max()! / t
                let sum = z.reduce(0.0) { $0 + exp(Double($1 / t - m)) }
                total -= Double(z[label] / t - m) - log(sum)
            }
            return total
        }
        var (a, b) = (-4.0, 4.0)
        let phi = (5.0.squareRoot() - 1) / 2
        for _ in 0..<60 {
            let c = b - phi * (b - a), d = a + phi * (b - a)
            if nll(c) < nll(d) { b = d } else { a = c }
        }
        var calibration = Calibration(temperature: Float(exp((a + b) / 2)), unsureBelow: 0, notADigitBelow: 0, fitted: true)
        let answers = logits.map { z in calibration.probabilities(z).max()! }
        let right = zip(logits, labels).map { argmax($0.0) == $0.1 }
        calibration.unsureBelow = sureThreshold(answers, right)
        calibration.notADigitBelow = min(calibration.unsureBelow, answers.sorted()[Int(Double(answers.count) * digitsRejected)])
        return calibration
    }

    /// The lowest probability τ such that the answers with probability ≥ τ are at least
    /// `sureAccuracy` right (scanning from the most sure down; 1 when even the surest are not).
    static func sureThreshold(_ probabilities: [Float], _ right: [Bool]) -> Float {
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
        var correct = 0, best: Float = 1
        for (n, i) in order.enumerated() {
            if right[i] { correct += 1 }
            if Double(correct) / Double(n + 1) >= sureAccuracy { best = probabilities[i] }
        }
        return best
    }

    /// Expected calibration error: the answers split into `bins` equal-width bins of
    /// probability; the mean over bins, weighted by their share of answers, of
    /// |accuracy − mean probability| (Guo et al. 2017, eq. 3; 15 bins as there).
    public static func expectedError(probabilities: [Float], right: [Bool], bins: Int = 15) -> Double {
        reliability(probabilities: probabilities, right: right, bins: bins).reduce(0.0) { total, bin in
            total + Double(bin.count) / Double(probabilities.count) * abs(bin.accuracy - bin.confidence)
        }
    }

    /// One bin of a reliability diagram.
    public struct Bin: Sendable, Equatable {
        public var lower: Double, upper: Double
        public var count: Int
        public var accuracy: Double
        public var confidence: Double
    }

    /// The bins of a reliability diagram (empty bins included, with count 0).
    public static func reliability(probabilities: [Float], right: [Bool], bins: Int = 15) -> [Bin] {
        var count = [Int](repeating: 0, count: bins), correct = count
        var sum = [Double](repeating: 0, count: bins)
        for (p, r) in zip(probabilities, right) {
            let k = min(bins - 1, max(0, Int(Double(p) * Double(bins))))
            count[k] += 1
            sum[k] += Double(p)
            if r { correct[k] += 1 }
        }
        return (0..<bins).map { k in
            Bin(lower: Double(k) / Double(bins), upper: Double(k + 1) / Double(bins), count: count[k],
                accuracy: count[k] == 0 ? 0 : Double(correct[k]) / Double(count[k]),
                confidence: count[k] == 0 ? 0 : sum[k] / Double(count[k]))
        }
    }
}

extension Calibration {
    /// The metadata keys it is stored under.
    static let keys = (temperature: "temperature", unsure: "unsure_below", notADigit: "not_a_digit_below")

    /// The calibration stored in `metadata`, or `uncalibrated` when there is none (or it is not sane).
    public init(metadata: [String: String]) {
        guard let t = metadata[Self.keys.temperature].flatMap(Float.init), t.isFinite, t > 0,
              let u = metadata[Self.keys.unsure].flatMap(Float.init), (0...1).contains(u),
              let n = metadata[Self.keys.notADigit].flatMap(Float.init), (0...1).contains(n) else {
            self = .uncalibrated
            return
        }
        self.init(temperature: t, unsureBelow: u, notADigitBelow: n, fitted: true)
    }

    /// `metadata` with this calibration written in.
    public func stored(in metadata: [String: String]) -> [String: String] {
        var m = metadata
        m[Self.keys.temperature] = String(temperature)
        m[Self.keys.unsure] = String(unsureBelow)
        m[Self.keys.notADigit] = String(notADigitBelow)
        return m
    }
}

extension Calibration {
    /// The calibration of `model` fitted on `validation` (images it was not trained on).
    public static func fit(model: Model, on validation: Dataset) -> Calibration {
        let logits = outputLogits(model: model, data: validation)
        return fit(logits: logits, labels: validation.labels.map(Int.init))
    }

    /// z of the output layer for every image of `data` (the kernels' forward pass, as `query` reads).
    static func outputLogits(model: Model, data: Dataset) -> [[Float]] {
        model.packed.logits(images: data.images, count: data.count, table: model.inputs.table)
    }

    /// For every image of `data` (prepared as the model reads it): the calibrated probability
    /// of the answer, the share of the ten outputs `digits` printed as its confidence before,
    /// and whether the answer is right.
    static func answers(model: Model, on data: Dataset) -> (calibrated: [Float], share: [Float], right: [Bool]) {
        let calibration = model.calibration
        var calibrated: [Float] = [], share: [Float] = [], right: [Bool] = []
        for (z, label) in zip(outputLogits(model: model, data: data), data.labels) {
            var o = z
            model.network.outputLayer.apply(&o)
            let k = argmax(o)
            calibrated.append(calibration.probabilities(z)[k])
            share.append(o[k] / max(o.reduce(0, +), .leastNormalMagnitude))
            right.append(k == Int(label))
        }
        return (calibrated, share, right)
    }

    /// The expected calibration error of `model` on `data`: of its calibrated probabilities,
    /// and of the share of the ten outputs.
    public static func errors(model: Model, on data: Dataset) -> (calibrated: Double, share: Double) {
        let a = answers(model: model, on: data)
        return (expectedError(probabilities: a.calibrated, right: a.right), expectedError(probabilities: a.share, right: a.right))
    }
}

import DigitsKernels
/// How well a network reads a labelled set: accuracy, the confusion matrix, and per-class
/// precision and recall.
public struct Evaluation: Sendable, Equatable {
    /// confusion[true digit][predicted digit]: counts.
    public let confusion: [[Int]]

    public init(confusion: [[Int]]) {
        self.confusion = confusion
    }

    /// Runs the network over every image of `data` (inputs scaled by `inputs`).
    public init(network: Network, inputs: InputScaling, data: Dataset) {
        self.init(predictions: Self.predictions(network: network, inputs: inputs, data: data), labels: data.labels)
    }

    public init(predictions: [Int], labels: [UInt8]) {
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
        for (p, t) in zip(predictions, labels) { matrix[Int(t)][p] += 1 }
        confusion = matrix
    }

    /// The predicted digit of every image (the largest output).
    public static func predictions(network: Network, inputs: InputScaling, data: Dataset) -> [Int] {
        let scores = Kernels.predict(network, images: data.images, count: data.count, table: inputs.table)
        let O = network.outputCount
        return (0..<data.count).map { argmax(scores[$0 * O..<($0 + 1) * O]) }
    }

    public var total: Int { confusion.reduce(0) { $0 + $1.reduce(0, +) } }
    public var correct: Int { (0..<10).reduce(0) { $0 + confusion[$1][$1] } }
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Of the images predicted as `digit`, the share that are: TP / column total.
    public func precision(_ digit: Int) -> Double {
        let predicted = (0..<10).reduce(0) { $0 + confusion[$1][digit] }
        return predicted == 0 ? 0 : Double(confusion[digit][digit]) / Double(predicted)
    }

    /// Of the images of `digit`, the share found: TP / row total.
    public func recall(_ digit: Int) -> Double {
        let actual = confusion[digit].reduce(0, +)
        return actual == 0 ? 0 : Double(confusion[digit][digit]) / Double(actual)
    }

    /// `accuracy: 97.93% (9793/10000)`.
    public var accuracyLine: String {
        "accuracy: \(percent(accuracy)) (\(correct)/\(total))"
    }

    /// The confusion matrix (rows true, columns predicted, with totals), the per-class table,
    /// and the accuracy line last.
    public func report() -> String {
        let width = max(5, String(total).count + 1)
        func cell(_ s: String) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
        var lines: [String] = []
        lines.append("confusion matrix (rows: true digit, columns: predicted)")
        lines.append("true\\pred" + (0..<10).map { cell(String($0)) }.joined() + cell("total"))
        for t in 0..<10 {
            let row = confusion[t]
            lines.append("        \(t)" + row.map { cell(String($0)) }.joined() + cell(String(row.reduce(0, +))))
        }
        let columnTotals = (0..<10).map { p in (0..<10).reduce(0) { $0 + confusion[$1][p] } }
        lines.append("    total" + columnTotals.map { cell(String($0)) }.joined() + cell(String(total)))
        lines.append("")
        lines.append("digit  precision  recall")
        for d in 0..<10 {
            lines.append("    \(d)  " + pad(percent(precision(d)), 9) + "  " + pad(percent(recall(d)), 6))
        }
        lines.append("")
        lines.append(accuracyLine)
        return lines.joined(separator: "\n")
    }

    /// The evaluation as one line of JSON (keys sorted, written by the encoder).
    public func json() -> String {
        encodedLine(figures)
    }

    /// What `json()` holds: accuracy, counts, the confusion matrix (true digit by row) and each
    /// digit's precision and recall.
    public struct Figures: Encodable, Sendable {
        public let accuracy: Double
        public let correct: Int
        public let total: Int
        public let confusion: [[Int]]
        public let precision: [Double]
        public let recall: [Double]
    }

    public var figures: Figures {
        Figures(accuracy: accuracy, correct: correct, total: total, confusion: confusion,
                precision: (0..<10).map(precision), recall: (0..<10).map(recall))
    }
}

/// 0.9793 → "97.93%".
public func percent(_ fraction: Double) -> String {
    fixed(fraction * 100, 2) + "%"
}

/// `value` with exactly `digits` decimals, rounded half away from zero (no locale, no Foundation).
public func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    // Beyond 2⁶³ the scaled value does not fit the integers below (a crafted model's history
    // can hold any number): such a value is written as Swift writes it, 1e+300.
    guard abs(value) * scale < 9e18 else { return "\(value)" }
    let negative = value < 0
    let scaled = (abs(value) * scale).rounded()
    var whole = String(UInt64(scaled / scale))
    let frac = UInt64(scaled) % UInt64(scale)
    if negative && scaled != 0 { whole = "-" + whole }
    guard digits > 0 else { return whole }
    let f = String(frac)
    return whole + "." + String(repeating: "0", count: digits - f.count) + f
}

func pad(_ s: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - s.count)) + s
}

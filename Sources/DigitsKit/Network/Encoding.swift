/// How a pixel 0…255 becomes an input value.
public enum InputScaling: String, Sendable, CaseIterable {
    /// x = p / 255, in 0…1: a blank pixel stays exactly 0, so its row of W_ih is skipped.
    case unit
    /// x = 0.01 + 0.99 · p / 255, as doc 001's book (no input is ever 0; every row is used).
    case book

    /// The input value of an intensity 0…255 (decimals allowed, as CSV may hold).
    public func scale(intensity v: Float) -> Float {
        self == .unit ? v / 255 : 0.01 + 0.99 * v / 255
    }

    /// The input value of every possible pixel, so scaling is one lookup.
    public var table: [Float] {
        (0..<256).map { scale(intensity: Float($0)) }
    }

    public func scale(_ pixels: some Collection<UInt8>) -> [Float] {
        let table = self.table
        return pixels.map { table[Int($0)] }
    }
}

/// What the network is asked to output for a digit.
public enum TargetEncoding: String, Sendable, CaseIterable {
    /// 1 for the digit, 0 elsewhere.
    case onehot
    /// 0.99 for the digit, 0.01 elsewhere, as doc 001's book (sigmoid never reaches 0 or 1).
    case book

    public var low: Float { self == .onehot ? 0 : 0.01 }
    public var high: Float { self == .onehot ? 1 : 0.99 }

    public func target(_ label: Int, count: Int = 10) -> [Float] {
        (0..<count).map { $0 == label ? high : low }
    }

    /// The target of every output for a picture that is no digit (`Dataset.notADigit`): no
    /// output above another. Under cross-entropy the uniform distribution 1/count, the target of
    /// outlier exposure (Hendrycks et al. 2019; it sums to 1 as softmax's outputs do, so
    /// δ = o − t stays the gradient); under squared error every sigmoid output at `low`.
    public func nonDigitLevel(count: Int = 10, loss: Loss) -> Float {
        loss == .crossEntropy ? 1 / Float(count) : low
    }

    /// The target for `label`, a digit or `Dataset.notADigit`.
    public func target(_ label: Int, count: Int = 10, loss: Loss) -> [Float] {
        label < count ? target(label, count: count) : [Float](repeating: nonDigitLevel(count: count, loss: loss), count: count)
    }
}

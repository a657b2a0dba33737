#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the learning rate moves over training. Large steps early find a good region; small
/// steps late settle into it, which constant-rate SGD cannot do.
public enum Schedule: String, Sendable, CaseIterable {
    /// α throughout (doc 001).
    case constant
    /// α · ½(1 + cos(π·p)) at progress p ∈ [0, 1]: from α down to 0.
    case cosine
    /// α · (1 − p): from α down to 0 in a straight line.
    case linear
    /// α, then α/10 from half-way, then α/100 from three quarters (changing at epoch starts).
    case step

    /// The learning rate at progress `p` (0 at the first step, 1 after the last).
    public func rate(_ alpha: Float, progress p: Double) -> Float {
        switch self {
        case .constant: return alpha
        case .cosine: return alpha * Float(0.5 * (1 + cos(Double.pi * p)))
        case .linear: return alpha * Float(1 - p)
        case .step: return alpha * (p >= 0.75 ? 0.01 : p >= 0.5 ? 0.1 : 1)
        }
    }
}

/// The learning rate over a whole run: a linear warm-up from 0 over the first `warmup`
/// epochs, then the schedule over the rest.
public struct LearningRate: Sendable, Equatable {
    public var base: Float
    public var schedule: Schedule
    public var warmup: Int
    public var epochs: Int

    public init(base: Float, schedule: Schedule, warmup: Int = 0, epochs: Int) {
        self.base = base
        self.schedule = schedule
        self.warmup = warmup
        self.epochs = epochs
    }

    /// The rate at `time` epochs from the start (fractions are points within an epoch).
    public func rate(atEpoch time: Double) -> Float {
        let w = Double(min(warmup, max(0, epochs - 1)))
        if time < w { return base * Float(time / w) }
        let rest = Double(epochs) - w
        var p = rest > 0 ? (time - w) / rest : 1
        if schedule == .step { p = (p * rest).rounded(.down) / rest }  // changes only at epoch starts
        return schedule.rate(base, progress: min(max(p, 0), 1))
    }

    /// Epoch `epoch`'s (1-based) rates at its first and after its last step; the kernels move
    /// between them in a straight line.
    public func span(ofEpoch epoch: Int) -> (start: Float, end: Float) {
        let start = rate(atEpoch: Double(epoch - 1))
        if schedule == .step && Double(epoch - 1) >= Double(min(warmup, max(0, epochs - 1))) { return (start, start) }
        return (start, rate(atEpoch: Double(epoch)))
    }
}

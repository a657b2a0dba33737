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

    /// The learning rate at progress `p` (0 at the first step, 1 after the last).
    public func rate(_ alpha: Float, progress p: Double) -> Float {
        switch self {
        case .constant: return alpha
        case .cosine: return alpha * Float(0.5 * (1 + cos(Double.pi * p)))
        case .linear: return alpha * Float(1 - p)
        }
    }
}

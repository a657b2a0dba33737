import Foundation
import Synchronization

/// At most `limit` predictions at once (decoding, preprocessing and the network: the CPU work
/// of a request), so that a burst of requests queues here instead of piling onto every core.
/// A request waits up to `wait` seconds for a slot, then is refused (503). Slots are handed on
/// in arrival order.
public final class PredictionSlots: Sendable {
    public let limit: Int
    public let wait: Double

    private struct State {
        var busy = 0
        var waiting: [(id: Int, resume: CheckedContinuation<Bool, Never>)] = []
        var nextID = 0
    }

    /// Under a lock rather than in an actor: a free slot, the usual case, then costs no hop
    /// between executors (two such hops were a tenth of a prediction's time on the server).
    private let state = Mutex(State())

    public init(limit: Int = ProcessInfo.processInfo.activeProcessorCount, wait: Double = 5) {
        self.limit = limit
        self.wait = wait
    }

    /// True with a slot (give it back with `release`), false when none freed within `wait`.
    public func acquire() async -> Bool {
        let limit = self.limit
        if state.withLock({ s -> Bool in
            guard s.busy < limit else { return false }
            s.busy += 1
            return true
        }) { return true }
        return await withCheckedContinuation { continuation in
            // Checked again under the lock that queues it: a slot freed meanwhile is taken.
            let queued = state.withLock { s -> Int? in
                if s.busy < limit {
                    s.busy += 1
                    return nil
                }
                s.nextID += 1
                s.waiting.append((s.nextID, continuation))
                return s.nextID
            }
            guard let id = queued else { return continuation.resume(returning: true) }
            let wait = self.wait
            Task { [weak self] in
                try? await Task.sleep(for: .seconds(wait))
                self?.expire(id)
            }
        }
    }

    /// Gives a slot back: to the longest waiting request, if any.
    public func release() {
        let next = state.withLock { s -> CheckedContinuation<Bool, Never>? in
            if s.waiting.isEmpty {
                s.busy -= 1
                return nil
            }
            return s.waiting.removeFirst().resume
        }
        next?.resume(returning: true)
    }

    /// Refuses a request still waiting when its time is up.
    private func expire(_ id: Int) {
        let refused = state.withLock { s -> CheckedContinuation<Bool, Never>? in
            guard let index = s.waiting.firstIndex(where: { $0.id == id }) else { return nil }
            return s.waiting.remove(at: index).resume
        }
        refused?.resume(returning: false)
    }

    /// `work` in a slot, run on the caller's executor, or a 503 when no slot freed in time.
    func run<T: Sendable>(_ work: @Sendable () throws(APIError) -> T) async throws(APIError) -> T {
        guard await acquire() else {
            throw APIError(503, "server busy: all \(limit) prediction slots stayed taken for \(wait) s; try again")
        }
        defer { release() }
        return try work()
    }
}

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

/// The width and height a PNG or JPEG declares, read from its header before any decoding, so
/// that the API can refuse a picture over its pixel limit before the decoder allocates it.
enum DeclaredSize {
    /// nil when the header cannot be found: the decoder then says what is wrong.
    static func of(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        if bytes.count >= 24, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), bytes[12..<16].elementsEqual("IHDR".utf8) {
            return (bigEndian(bytes, 16, 4), bigEndian(bytes, 20, 4))
        }
        return bytes.starts(with: [0xFF, 0xD8]) ? jpeg(bytes) : nil
    }

    /// The sides in the first start-of-frame segment (SOF0…SOF15 but DHT, JPG and DAC).
    private static func jpeg(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        var at = 2
        while at + 4 <= bytes.count {
            guard bytes[at] == 0xFF else { return nil }
            let marker = bytes[at + 1]
            if marker == 0xFF { at += 1; continue }  // fill byte
            if (0xD0...0xD7).contains(marker) || marker == 0x01 { at += 2; continue }  // no length
            if marker == 0xDA || marker == 0xD9 { return nil }  // scan data or end before any frame
            let length = bigEndian(bytes, at + 2, 2)
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard at + 9 <= bytes.count else { return nil }
                return (bigEndian(bytes, at + 7, 2), bigEndian(bytes, at + 5, 2))
            }
            at += 2 + length
        }
        return nil
    }

    private static func bigEndian(_ bytes: [UInt8], _ at: Int, _ count: Int) -> Int {
        bytes[at..<(at + count)].reduce(0) { $0 << 8 | Int($1) }
    }
}

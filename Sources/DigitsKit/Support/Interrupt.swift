import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// (Unchecked: the sources are only set up in `init`; afterwards only the atomic flag changes.)
/// Turns Ctrl-C (SIGINT) and SIGTERM into a flag that long work polls, so that training stops
/// at the end of the current example or batch instead of dying mid-write.
public final class Interrupt: @unchecked Sendable {
    private let flag = Atomic<Int32>(0)
    private let sources: [any DispatchSourceSignal]

    /// Starts listening; until then (and after `stop`), the signals keep their default action.
    public init(signals: [Int32] = [SIGINT, SIGTERM]) {
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            sources.append(source)
        }
        self.sources = sources
        for (source, number) in zip(sources, signals) {
            source.setEventHandler { [weak self] in self?.flag.store(number, ordering: .relaxed) }
            source.resume()
        }
    }

    /// The signal received, or nil.
    public var received: Int32? {
        let value = flag.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    public var isSet: Bool { received != nil }
}

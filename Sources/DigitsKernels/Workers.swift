#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A second thread for one piece of work, joined before its inputs go away.
package final class Thread2: @unchecked Sendable {
    private var thread = pthread_t()
    private var started = false
    private let body: () -> Void

    package init(_ body: @escaping () -> Void) {
        self.body = body
        let context = Unmanaged.passRetained(self).toOpaque()
        let status = pthread_create(&thread, nil, { context in
            let me = Unmanaged<Thread2>.fromOpaque(context!).takeRetainedValue()
            me.body()
            return nil
        }, context)
        if status == 0 {
            started = true
        } else {
            // No thread: do the work here instead.
            Unmanaged<Thread2>.fromOpaque(context).release()
            body()
        }
    }

    package func join() {
        if started { pthread_join(thread, nil) }
    }
}

/// A second thread that takes one half of each mini-batch's work while the caller does the other.
/// Handing work over is a store and a spin on an atomic counter, a fraction of a microsecond,
/// because a batch of 10 takes only a few microseconds to sum.
package final class BatchWorker: @unchecked Sendable {
    private let posted = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private var range = 0..<0
    private var result = 0.0
    private var generation = 0
    private var thread = pthread_t()
    private var started = false
    private var job = 0
    private let work: (Int, Range<Int>) -> Double

    package init?(_ work: @escaping (Int, Range<Int>) -> Double) {
        self.work = work
        let context = Unmanaged.passRetained(self).toOpaque()
        guard pthread_create(&thread, nil, { context in
            Unmanaged<BatchWorker>.fromOpaque(context!).takeRetainedValue().loop()
            return nil
        }, context) == 0 else {
            Unmanaged<BatchWorker>.fromOpaque(context).release()
            return nil
        }
        started = true
    }

    private func loop() {
        var seen = 0
        while true {
            var spins = 0
            var next = posted.load(ordering: .acquiring)
            while next == seen {
                spins += 1
                if spins > 4096 { sched_yield() }
                next = posted.load(ordering: .acquiring)
            }
            if next < 0 { return }
            seen = next
            result = work(job, range)
            finished.store(next, ordering: .releasing)
        }
    }

    /// Starts `job` over `range` on the second thread.
    package func post(_ job: Int, _ range: Range<Int>) {
        self.job = job
        self.range = range
        generation += 1
        posted.store(generation, ordering: .releasing)
    }

    /// Waits for the posted job; returns what it returned.
    package func wait() -> Double {
        var spins = 0
        while finished.load(ordering: .acquiring) != generation {
            spins += 1
            if spins > 4096 { sched_yield() }
        }
        return result
    }

    package func stop() {
        guard started else { return }
        posted.store(-1, ordering: .releasing)
        pthread_join(thread, nil)
        started = false
    }
}

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

/// Threads that share one piece of work at a time, each part of it on its own thread: the
/// caller does part 0 and each worker one other part. A mini-batch's products come a fraction of
/// a millisecond apart, so workers wait by spinning, yielding the core when a wait grows long
/// and sleeping when it grows longer (between epochs). Work is split by output ranges, so every
/// number is computed exactly as on one thread: the same model whatever the thread count.
package final class Team: @unchecked Sendable {
    /// The caller and the workers that started.
    package var size: Int { threads.count + 1 }
    private let generation = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private var work: ((Int) -> Void)?
    private var threads: [pthread_t] = []

    /// A team of `size` threads (the caller and size − 1 workers); fewer when a thread cannot start.
    package init(size: Int) {
        for part in 1..<max(1, size) {
            var thread = pthread_t()
            let context = UnsafeMutablePointer<(Team, Int)>.allocate(capacity: 1)
            context.initialize(to: (self, part))
            let status = pthread_create(&thread, nil, { raw in
                let context = raw!.assumingMemoryBound(to: (Team, Int).self)
                let (team, part) = context.move()
                context.deallocate()
                team.serve(part: part)
                return nil
            }, context)
            guard status == 0 else {
                context.deinitialize(count: 1)
                context.deallocate()
                break
            }
            threads.append(thread)
        }
    }

    /// Runs `body(part)` for every part 0..<size, one per thread, and returns when all are done.
    package func run(_ body: (Int) -> Void) {
        guard size > 1 else { return body(0) }
        withoutActuallyEscaping(body) { body in
            work = body
            finished.store(0, ordering: .relaxed)
            generation.wrappingAdd(1, ordering: .releasing)
            body(0)
            var spins = 0
            while finished.load(ordering: .acquiring) < size - 1 { Self.pause(&spins) }
            work = nil
        }
    }

    /// Stops and joins the workers; the team then runs everything on the caller's thread.
    package func stop() {
        stopping.store(true, ordering: .releasing)
        for thread in threads { pthread_join(thread, nil) }
        threads = []
    }

    private func serve(part: Int) {
        var seen = 0
        while true {
            var spins = 0
            var current = generation.load(ordering: .acquiring)
            while current == seen {
                if stopping.load(ordering: .acquiring) { return }
                Self.pause(&spins)
                current = generation.load(ordering: .acquiring)
            }
            seen = current
            work!(part)
            finished.wrappingAdd(1, ordering: .releasing)
        }
    }

    @inline(__always)
    private static func pause(_ spins: inout Int) {
        spins += 1
        if spins > 1 << 20 {
            usleep(50)
        } else if spins > 1 << 12 {
            sched_yield()
        }
    }
}

extension Kernels {
    /// `body` over 0..<count, cut at multiples of `multiple` into one range per thread of `team`
    /// (the whole range on this thread when there is no team or too little to cut).
    @inline(__always)
    package static func split(_ team: Team?, _ count: Int, multiple: Int, _ body: (Range<Int>) -> Void) {
        let blocks = count / multiple
        guard let team, team.size > 1, blocks >= team.size else { return body(0..<count) }
        team.run { part in
            let lower = blocks * part / team.size * multiple
            let upper = part == team.size - 1 ? count : blocks * (part + 1) / team.size * multiple
            body(lower..<upper)
        }
    }
}

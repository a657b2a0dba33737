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

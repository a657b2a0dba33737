import DigitsServer
import Foundation
import Testing

/// The idle and body timeouts over raw sockets, set short (1 s, 2 s) as `--idle-timeout` and
/// `--body-timeout` allow: a silent connection, a client sending its headers a byte at a time and
/// one sending its body a byte at a time are closed by the server, and another client is served
/// meanwhile.
@Suite("digits-server timeouts")
struct TimeoutTests {
    static let timeout = 1.0
    static let settings = ServerSettings(host: "127.0.0.1", port: 0, idleTimeout: timeout, bodyTimeout: 2 * timeout)
    /// Far longer than the timeout: a bound on the wait for the close, not an expected time.
    static let bound = 20.0

    @Test func aSilentConnectionIsClosed() async throws {
        try await withLiveServer(Self.settings) { port in
            let silent = try RawConnection(port: port)
            let start = Date()
            #expect(silent.waitForClose(within: Self.bound), "a silent connection was kept \(Self.bound) s")
            #expect(Date().timeIntervalSince(start) > Self.timeout * 0.8, "closed before the timeout")
            #expect(silent.rest().isEmpty)
        }
    }

    @Test func aSlowlorisClientIsCutOffWhileAnotherIsServed() async throws {
        try await withLiveServer(Self.settings) { port in
            let slow = try RawConnection(port: port)
            let start = Date()
            let head = Array("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: \(String(repeating: "a", count: 10_000))\r\n\r\n".utf8)
            var sent = 0
            var servedMeanwhile = false
            // A header byte every 0.2 s (each wait ends early if the server closes): the head is
            // never whole, so nothing resets the idle timer.
            while slow.isOpen(after: 0.2), Date().timeIntervalSince(start) < Self.bound {
                slow.send([head[sent]])
                sent += 1
                if sent == 2 {
                    let other = try RawConnection(port: port)
                    other.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    servedMeanwhile = other.response()?.status == 200 && slow.isOpen()
                }
            }
            #expect(slow.closedByServer, "a client sending a header byte every 0.2 s was kept \(Self.bound) s")
            #expect(Date().timeIntervalSince(start) > Self.timeout * 0.8, "closed before the timeout")
            #expect(sent < head.count)
            #expect(servedMeanwhile, "no other client was served while the slow one was connected")
            #expect(slow.rest().isEmpty, "a response was sent to a request never finished")
        }
    }

    @Test func aKeptAliveConnectionIsServedThenClosedWhenIdle() async throws {
        try await withLiveServer(Self.settings) { port in
            let connection = try RawConnection(port: port)
            for _ in 0..<3 {
                connection.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(connection.response()?.status == 200)
            }
            #expect(connection.waitForClose(within: Self.bound), "an idle kept-alive connection was kept \(Self.bound) s")
        }
    }

    @Test func aClientTricklingItsBodyIsCutOff() async throws {
        try await withLiveServer(Self.settings) { port in
            let slow = try RawConnection(port: port)
            slow.send("POST /api/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\n")
            let start = Date()
            var sent = 0
            // A body byte every 0.2 s: each one restarts the idle timer, not the body's deadline.
            while slow.isOpen(after: 0.2), Date().timeIntervalSince(start) < Self.bound {
                slow.send("0")
                sent += 1
            }
            #expect(slow.closedByServer, "a client sending a body byte every 0.2 s was kept \(Self.bound) s")
            // Later than the idle timeout (1 s): the body's deadline (2 s) cut it off.
            #expect(Date().timeIntervalSince(start) > Self.settings.bodyTimeout * 0.8, "closed before the body's deadline")
            #expect(sent > 0)
        }
    }
}

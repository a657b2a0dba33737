import DigitsKit
import DigitsResources
import DigitsServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP connection to the server driven by hand, for requests a client library would refuse
/// to send (bad framing, pipelining, HTTP/1.0, one byte at a time). Every read waits on an
/// event (bytes, or the server closing) with an upper bound, never on a fixed sleep.
final class RawConnection {
    /// One response as read off the wire; header names lowercased.
    struct Response {
        let status: Int
        let headers: [String: String]
        let body: [UInt8]
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
    }

    private let fd: Int32
    /// Bytes read and not yet returned.
    private var buffer: [UInt8] = []
    /// Whether the server has closed its side (a read returned 0, or the connection was reset).
    private(set) var closedByServer = false

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, result == 0 else { throw APIError(0, "cannot connect to 127.0.0.1:\(port): errno \(errno)") }
    }

    deinit { close(fd) }

    /// Sends `bytes`; false when the server has closed the connection (no SIGPIPE).
    @discardableResult func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return false }
            sent += n
        }
        return true
    }

    @discardableResult func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Waits up to `seconds` for bytes or the server's close; false when neither came.
    private func fill(until deadline: Date) -> Bool {
        let left = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, left) > 0 else { return false }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { closedByServer = true } else { buffer += chunk[..<n] }
        return true
    }

    /// True once the server has closed the connection, within `seconds`; the bytes it sent
    /// before closing stay readable with `response`.
    func waitForClose(within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !closedByServer, Date() < deadline, fill(until: deadline) {}
        return closedByServer
    }

    /// Whether the connection is still open after waiting up to `seconds` for the server to close it.
    func isOpen(after seconds: Double = 0) -> Bool {
        !waitForClose(within: seconds)
    }

    /// The next response (head, then Content-Length bytes of body), or nil when none came
    /// whole within `seconds`. `head: true` reads a response to HEAD: no body whatever its length.
    func response(within seconds: Double = 10, head: Bool = false) -> Response? {
        let deadline = Date().addingTimeInterval(seconds)
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while true {
            if headEnd == nil, let range = buffer.firstRange(of: end) { headEnd = range.upperBound }
            if let headEnd {
                let lines = String(decoding: buffer[..<headEnd], as: UTF8.self).split(separator: "\r\n")
                var headers: [String: String] = [:]
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                let length = head ? 0 : Int(headers["content-length"] ?? "0") ?? 0
                if buffer.count >= headEnd + length {
                    let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
                    let body = Array(buffer[headEnd..<(headEnd + length)])
                    buffer.removeFirst(headEnd + length)
                    return Response(status: status, headers: headers, body: body)
                }
            }
            if closedByServer || Date() >= deadline || !fill(until: deadline) { return nil }
        }
    }

    /// Everything left unread, once the server has closed or `seconds` have passed.
    func rest(within seconds: Double = 10) -> [UInt8] {
        _ = waitForClose(within: seconds)
        defer { buffer = [] }
        return buffer
    }
}

/// The server as `digits-server` runs it (`buildApplication`: its connection handling and
/// timeouts), on a free port, for the duration of `body`. `body` runs on a thread of its own:
/// its blocking socket calls must not hold one of the few threads that run the server's tasks.
func withLiveServer(_ settings: ServerSettings = ServerSettings(host: "127.0.0.1", port: 0),
                    _ body: @escaping @Sendable (Int) throws -> Void) async throws {
    let app = buildApplication(settings, model: ServerTests.model, modelSource: "shipped", page: try WebPage.shipped())
    try await app.test(.live) { client in
        let port = try #require(client.port)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread { continuation.resume(with: Result { try body(port) }) }.start()
        }
    }
}

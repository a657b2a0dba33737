import DigitsServer
import Foundation
import Testing

/// Bodies and framing over raw sockets: an oversized chunked body is a 413 that closes the
/// connection, a request pipelined behind a refused body is not answered, and NIO's parser
/// errors get the JSON error body.
@Suite("digits-server framing")
struct FramingTests {
    static let host = "Host: localhost\r\n"

    /// `body` as chunks of at most 64 KiB, with the last chunk.
    static func chunked(_ body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for start in stride(from: 0, to: body.count, by: 65_536) {
            let chunk = body[start..<min(start + 65_536, body.count)]
            out += Array("\(String(chunk.count, radix: 16))\r\n".utf8) + chunk + Array("\r\n".utf8)
        }
        return out + Array("0\r\n\r\n".utf8)
    }

    /// The response is a JSON error with `status` whose message contains `message`.
    static func expectJSONError(_ response: RawConnection.Response?, _ status: Int, _ message: String,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response?.status == status, sourceLocation: sourceLocation)
        #expect(response?.headers["content-type"] == "application/json", sourceLocation: sourceLocation)
        #expect(response?.json["status"] as? Int == status, sourceLocation: sourceLocation)
        let error = response?.json["error"] as? String ?? ""
        #expect(error.contains(message), "\(error)", sourceLocation: sourceLocation)
        #expect(!error.contains("NIO") || message.contains("NIO"), "\(error) names NIO", sourceLocation: sourceLocation)
    }

    @Test func aChunkedBodyOverTheLimitIs413AndClosesTheConnection() async throws {
        try await withLiveServer { port in
            let connection = try RawConnection(port: port)
            let body = [UInt8](repeating: UInt8(ascii: "0"), count: (1 << 20) + 4096)
            connection.send("POST /api/predict HTTP/1.1\r\n\(Self.host)Content-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n")
            connection.send(Self.chunked(body) + Array("GET /healthz HTTP/1.1\r\n\(Self.host)\r\n".utf8))
            Self.expectRefusedAndClosed(connection, 413, "over the 1048576-byte limit")
        }
    }

    /// A body refused unread: the JSON error with `Connection: close`, the connection closed,
    /// and the request pipelined behind the body never answered.
    static func expectRefusedAndClosed(_ connection: RawConnection, _ status: Int, _ message: String,
                                       sourceLocation: SourceLocation = #_sourceLocation) {
        let response = connection.response()
        expectJSONError(response, status, message, sourceLocation: sourceLocation)
        #expect(response?.headers["connection"] == "close", sourceLocation: sourceLocation)
        #expect(connection.waitForClose(within: 20), "the connection stayed open after a \(status)", sourceLocation: sourceLocation)
        #expect(connection.rest().isEmpty, "the request pipelined after the \(status) was answered", sourceLocation: sourceLocation)
    }

    @Test func aRequestPipelinedBehindAnUnreadBodyIsNotReadAsARequest() async throws {
        try await withLiveServer { port in
            let connection = try RawConnection(port: port)
            // The declared length is refused before reading: what follows cannot be trusted.
            connection.send("POST /api/predict HTTP/1.1\r\n\(Self.host)Content-Type: text/csv\r\nContent-Length: 2000000\r\n\r\n1,2,3"
                            + "GET /healthz HTTP/1.1\r\n\(Self.host)\r\n")
            Self.expectRefusedAndClosed(connection, 413, "request body of 2000000 bytes, over the 1048576-byte limit")
        }
    }

    @Test func aBodyRefusedUnreadFor415ClosesTheConnection() async throws {
        try await withLiveServer { port in
            let connection = try RawConnection(port: port)
            connection.send("POST /api/predict HTTP/1.1\r\n\(Self.host)Content-Type: text/plain\r\nContent-Length: 5\r\n\r\n1,2,3"
                            + "GET /healthz HTTP/1.1\r\n\(Self.host)\r\n")
            Self.expectRefusedAndClosed(connection, 415, "unsupported content type \"text/plain\"")
        }
    }

    /// Over the wire too, HEAD's answer has GET's length and no body: the next answer on the
    /// connection starts right after its head.
    @Test func headSendsNoBodyOnTheWire() async throws {
        try await withLiveServer { port in
            let connection = try RawConnection(port: port)
            connection.send("HEAD /healthz HTTP/1.1\r\n\(Self.host)\r\nGET /healthz HTTP/1.1\r\n\(Self.host)\r\n")
            let head = connection.response(head: true)
            #expect(head?.status == 200)
            #expect(head?.headers["content-length"] == "15")
            let get = connection.response()
            #expect(get?.status == 200)
            #expect(get.map { String(decoding: $0.body, as: UTF8.self) } == "{\"status\":\"ok\"}")
        }
    }

    @Test func aChunkedBodyUnderTheLimitIsReadAndTheConnectionKept() async throws {
        try await withLiveServer { port in
            let connection = try RawConnection(port: port)
            let csv = Array(Array(repeating: "0", count: 784).joined(separator: ",").utf8)
            connection.send("POST /api/predict HTTP/1.1\r\n\(Self.host)Content-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n")
            connection.send(Self.chunked(csv))
            let first = connection.response()
            #expect(first?.status == 200)
            #expect(first?.json["not_a_digit"] != nil, "\(first?.json ?? [:])")
            #expect(first?.headers["connection"] == nil)
            connection.send("GET /healthz HTTP/1.1\r\n\(Self.host)\r\n")
            #expect(connection.response()?.status == 200, "the connection was not kept after a good chunked body")
        }
    }

    @Test(arguments: [
        "POST /api/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n1,2\r\n0\r\n\r\n",
        "POST /api/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\nTransfer-Encoding: xchunked\r\n\r\n3\r\n1,2\r\n0\r\n\r\n",
        "POST /api/predict HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\n1,2",
        "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: \(String(repeating: "a", count: 90_000))\r\n\r\n",
    ])
    func aRequestNIOCannotParseIs400WithTheJSONBody(_ request: String) async throws {
        try await withLiveServer { port in
            let connection = try RawConnection(port: port)
            connection.send(request)
            let response = connection.response()
            Self.expectJSONError(response, 400, "malformed HTTP request")
            #expect(response?.headers["connection"] == "close")
            #expect(connection.waitForClose(within: 20), "the connection stayed open after a parse error")
        }
    }
}

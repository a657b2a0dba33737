import DigitsServer
import Foundation
import Testing

/// HTTP/1.0 without keep-alive, and `Connection: close` however spelled: the server answers,
/// says `Connection: close`, and closes the connection; with keep-alive it keeps it.
@Suite("digits-server keep-alive")
struct KeepAliveTests {
    /// An idle timeout far past the wait bound, so a close seen is the one after the response.
    static let settings = ServerSettings(host: "127.0.0.1", port: 0, idleTimeout: 120)
    static let bound = 20.0

    @Test(arguments: [
        "GET /healthz HTTP/1.0\r\n\r\n",
        "GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: Close\r\n\r\n",
        "POST /api/predict HTTP/1.0\r\nContent-Type: text/csv\r\nContent-Length: 3\r\n\r\n1,2",
    ])
    func theConnectionIsClosedAfterTheResponse(_ request: String) async throws {
        try await withLiveServer(Self.settings) { port in
            let connection = try RawConnection(port: port)
            connection.send(request)
            let response = connection.response()
            #expect(response?.status == (request.hasPrefix("GET") ? 200 : 400))
            #expect(response?.headers["connection"] == "close")
            #expect(connection.waitForClose(within: Self.bound), "the connection stayed open after the response")
        }
    }

    @Test func http10WithKeepAliveKeepsTheConnection() async throws {
        try await withLiveServer(Self.settings) { port in
            let connection = try RawConnection(port: port)
            for _ in 0..<2 {
                connection.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let response = connection.response()
                #expect(response?.status == 200)
                #expect(response?.headers["connection"] != "close")
            }
            #expect(connection.isOpen())
        }
    }
}

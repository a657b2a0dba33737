import DigitsServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// HEAD answers as GET without the body; a known path with another method is a 405 naming the
/// methods it takes; an unknown path stays a 404.
@Suite("digits-server methods")
struct MethodTests {
    @Test func headAnswersAsGetWithoutTheBody() async throws {
        try await ServerTests.app().test(.router) { client in
            for path in ["/", "/index.html", "/app.js", "/style.css", "/api/model", "/healthz"] {
                let get = try await client.execute(uri: path, method: .get) { $0 }
                let head = try await client.execute(uri: path, method: .head) { $0 }
                #expect(get.status == .ok && head.status == .ok, "HEAD \(path): \(head.status)")
                #expect(get.body.readableBytes > 0, "GET \(path) has a body")
                #expect(head.body.readableBytes == 0, "HEAD \(path) has a body")
                #expect(head.headers[.contentType] == get.headers[.contentType], "HEAD \(path)")
                #expect(head.headers[.contentLength] == String(get.body.readableBytes), "HEAD \(path)")
            }
        }
    }

    @Test func aKnownPathWithAnotherMethodIs405WithAllow() async throws {
        let cases: [(String, HTTPRequest.Method, String)] = [
            ("/api/predict", .get, "POST"), ("/api/predict", .put, "POST"), ("/api/predict", .delete, "POST"),
            ("/api/predict", .head, "POST"), ("/api/number", .get, "POST"),
            ("/healthz", .post, "GET, HEAD"), ("/api/model", .post, "GET, HEAD"), ("/", .delete, "GET, HEAD"),
        ]
        try await ServerTests.app().test(.router) { client in
            for (path, method, allow) in cases {
                try await client.execute(uri: path, method: method) { response in
                    #expect(response.status == .methodNotAllowed, "\(method) \(path): \(response.status)")
                    #expect(response.headers[.allow] == allow, "\(method) \(path)")
                    guard method != .head else { return }
                    #expect(response.headers[.contentType] == "application/json")
                    let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    #expect(object?["status"] as? Int == 405)
                    let error = object?["error"] as? String ?? ""
                    #expect(error.contains("\(method) not allowed on \(path)") && error.contains(allow), "\(error)")
                }
            }
        }
    }

    @Test func anUnknownPathIs404WhateverTheMethod() async throws {
        try await ServerTests.app().test(.router) { client in
            for method in [HTTPRequest.Method.get, .post, .put, .head] {
                try await client.execute(uri: "/api/nope", method: method) { response in
                    #expect(response.status == .notFound, "\(method)")
                    #expect(response.headers[.allow] == nil)
                    guard method != .head else { return }
                    let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    #expect(object?["error"] as? String == "no such path: \(method) /api/nope")
                }
            }
        }
    }
}

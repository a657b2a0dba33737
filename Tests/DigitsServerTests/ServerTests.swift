import DigitsKit
import DigitsResources
import DigitsServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The HTTP API in-process (HummingbirdTesting): every endpoint and every error status.
@Suite("digits-server")
struct ServerTests {
    static let model = try! Safetensors.load(DefaultModel.path!)

    static func app() throws -> some ApplicationProtocol {
        Application(router: buildRouter(model: model, modelSource: "shipped", page: try WebPage.shipped()))
    }

    /// Test images: MNIST's first test images when MNIST_DIR has them, else drawn strokes.
    static let images: [(pixels: [UInt8], label: Int)] = {
        if let dir = ProcessInfo.processInfo.environment["MNIST_DIR"],
           let test = try? MNISTDirectory(path: dir).load(.test) {
            return (0..<20).map { (Array(test.image($0)), Int(test.labels[$0])) }
        }
        // Bars 21 pixels tall, 1, 3 or 5 wide, centred on pixel 14: already in MNIST's convention.
        return (0..<10).map { d in
            var pixels = [UInt8](repeating: 0, count: 784)
            let width = 1 + 2 * (d % 3)
            for y in 4..<25 { for x in (14 - width / 2)..<(14 - width / 2 + width) { pixels[y * 28 + x] = 255 } }
            return (pixels, 1)
        }
    }()

    static func post(_ client: some TestClientProtocol, _ body: [UInt8], type: String?, length: Int? = nil,
                     path: String = "/api/predict") async throws -> (status: HTTPResponse.Status, json: [String: Any]) {
        var headers: HTTPFields = [:]
        if let type { headers[.contentType] = type }
        if let length { headers[.contentLength] = String(length) }
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
            #expect(response.headers[.contentType] == "application/json")
            let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
            return (response.status, object)
        }
    }

    @Test func healthAndModel() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "{\"status\":\"ok\"}")
            }
            try await client.execute(uri: "/api/model", method: .get) { response in
                #expect(response.status == .ok)
                let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
                #expect(object["architecture"] as? String == "784-100-10")
                #expect(object["source"] as? String == "shipped")
                #expect((object["history"] as? [[String: Any]])?.count == 30)
            }
        }
    }

    @Test func thePageIsServedWithNothingFromElsewhere() async throws {
        try await Self.app().test(.router) { client in
            for (path, type) in [("/", "text/html"), ("/index.html", "text/html"), ("/app.js", "text/javascript"), ("/style.css", "text/css")] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path)")
                    #expect(response.headers[.contentType]?.hasPrefix(type) == true, "\(path)")
                    #expect(response.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'self'") == true)
                    let text = String(buffer: response.body)
                    #expect(!text.contains("http://") && !text.contains("https://"), "\(path) names another site")
                }
            }
        }
    }

    /// PNG, CSV and JSON of the same image get the same answer, and the answer is the model's.
    @Test func pngCSVAndJSONAgreeWithTheModel() async throws {
        try await Self.app().test(.router) { client in
            for (pixels, _) in Self.images {
                let png = PNGImage.encode(GrayImage(width: 28, height: 28, pixels: pixels))
                let csv = Array(CSVImage.line(pixels: pixels, label: nil).utf8)
                let json = Array("{\"pixels\":[\(pixels.map(String.init).joined(separator: ","))]}".utf8)
                let expected = Self.model.predict(pixels.map(Float.init))
                for (body, type) in [(png, "image/png"), (csv, "text/csv; charset=utf-8"), (json, "application/json")] {
                    let (status, answer) = try await Self.post(client, body, type: type, path: "/api/predict?input=1")
                    #expect(status == .ok, "\(type): \(answer)")
                    #expect(answer["prediction"] as? Int == expected.digit, "\(type)")
                    let scores = answer["scores"] as? [Double] ?? []
                    #expect(scores.count == 10)
                    for (a, b) in zip(scores, expected.scores) { #expect(abs(a - Double(b)) < 1e-6) }
                    let input = (answer["input"] as? String).flatMap { Data(base64Encoded: $0) }.map(Array.init)
                    #expect(input == pixels ? true : false, "\(type): the input it saw differs from the image")
                }
            }
        }
    }

    @Test func aDrawingIsPreprocessedAsDigitsQueryDoes() async throws {
        // A light-background drawing, larger than 28×28: cropped, fitted and centred.
        var canvas = [UInt8](repeating: 255, count: 280 * 280)
        for y in 40..<240 { for x in 130..<152 { canvas[y * 280 + x] = 0 } }
        let png = PNGImage.encode(GrayImage(width: 280, height: 280, pixels: canvas))
        let expected = try ImageInput.images(in: png, path: "x")[0].get()
        try await Self.app().test(.router) { client in
            let (status, answer) = try await Self.post(client, png, type: "image/png", path: "/api/predict?input=1")
            #expect(status == .ok)
            let input = (answer["input"] as? String).flatMap { Data(base64Encoded: $0) }.map(Array.init)
            #expect(input == expected.pixels.map { UInt8(max(0, min(255, $0.rounded()))) }, "the input it saw differs from digits query's")
            let (_, plain) = try await Self.post(client, png, type: "image/png")
            #expect(plain["input"] == nil && plain["prediction"] as? Int == answer["prediction"] as? Int, "no input unless asked")
            #expect(answer["prediction"] as? Int == Self.model.predict(expected.pixels).digit)
            #expect(answer["prediction"] as? Int == 1)
        }
    }

    @Test func badRequestsGetAJSONErrorAndTheServerKeepsServing() async throws {
        let tooMany = Array(String(repeating: "1,", count: 800).dropLast().utf8)
        let cases: [([UInt8], String?, Int?, HTTPResponse.Status, String)] = [
            ([UInt8](repeating: 48, count: (1 << 20) + 10), "text/csv", nil, .contentTooLarge, "over the 1048576-byte limit"),
            (Array("1,2".utf8), "text/plain", nil, .unsupportedMediaType, "unsupported content type \"text/plain\""),
            (Array("1,2".utf8), nil, nil, .unsupportedMediaType, "unsupported content type (none)"),
            (Array("1,2,3".utf8), "text/csv", nil, .badRequest,
             InputError.wrongValueCount(path: "request body", line: 1, found: 3).description),
            (tooMany, "text/csv", nil, .badRequest, "request body: line 1: 800 values"),
            (Array("1,2\n".utf8) + Array(repeating: Array("0,".utf8), count: 783).flatMap { $0 } + Array("0\n".utf8), "text/csv", nil,
             .badRequest, "request body: 2 images: send one image per request"),
            ([], "text/csv", nil, .badRequest, InputError.empty(path: "request body").description),
            (PNGImage.signature + [0, 0, 0, 13, 1, 2, 3], "image/png", nil, .badRequest, "request body: unreadable PNG"),
            (Array("1,2,3".utf8), "image/png", nil, .badRequest, "not a PNG"),
            (PNGImage.signature, "text/csv", nil, .badRequest, "a PNG sent as text/csv"),
            (Array("[1,2]".utf8), "application/json", nil, .badRequest, "not a JSON object"),
            (Array("{\"pixels\":[1,2]}".utf8), "application/json", nil, .badRequest, "\"pixels\" has 2 values"),
            (Array("{\"pixels\":[\(Array(repeating: "0", count: 783).joined(separator: ",")),256]}".utf8), "application/json", nil,
             .badRequest, "pixels[783] is 256.0, not a number 0–255"),
            (Array("{\"pixels\":[\(Array(repeating: "0", count: 783).joined(separator: ",")),true]}".utf8), "application/json", nil,
             .badRequest, "pixels[783]"),
            (Array(String(repeating: "[", count: 100_000).utf8), "application/json", nil, .badRequest, "not a JSON object"),
            (Array("{\"pixels\":\"no\"}".utf8), "application/json", nil, .badRequest, "\"pixels\" is not an array"),
            (Array("{\"pix\":[]}".utf8), "application/json", nil, .badRequest, "no \"pixels\" array"),
            (Array("{\"pixels\":[NaN,\(Array(repeating: "0", count: 783).joined(separator: ","))]}".utf8), "application/json", nil,
             .badRequest, "NaN and Infinity are not JSON numbers"),
            (Array("{\"pixels\":[1,".utf8), "application/json", nil, .badRequest, "request body: not valid JSON"),
        ]
        try await Self.app().test(.router) { client in
            for (body, type, length, status, message) in cases {
                let (got, answer) = try await Self.post(client, body, type: type, length: length)
                #expect(got == status, "\(message)")
                #expect(answer["status"] as? Int == status.code)
                let error = answer["error"] as? String ?? ""
                #expect(error.contains(message), "\(error) does not say \(message)")
                #expect(!error.contains("\n"))
            }
            for (uri, method, status) in [("/nope", HTTPRequest.Method.get, HTTPResponse.Status.notFound),
                                          ("/api/predict", .get, .methodNotAllowed), ("/api/model", .post, .methodNotAllowed)] {
                try await client.execute(uri: uri, method: method) { response in
                    #expect(response.status == status, "\(method) \(uri)")
                    let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    #expect(object?["status"] as? Int == response.status.code)
                }
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }

    /// Many clients at once, over real sockets: every answer is the one for its own image.
    @Test func concurrentPredictionsAreCorrectAndIsolated() async throws {
        let app = Application(router: buildRouter(model: Self.model, modelSource: "shipped", page: try WebPage.shipped()),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let expected = Self.images.map { Self.model.predict($0.pixels.map(Float.init)).digit }
        try await app.test(.live) { client in
            try await withThrowingTaskGroup(of: (Int, Int?).self) { group in
                for n in 0..<200 {
                    let index = n % Self.images.count
                    group.addTask {
                        let csv = Array(CSVImage.line(pixels: Self.images[index].pixels, label: nil).utf8)
                        let (status, answer) = try await Self.post(client, csv, type: "text/csv")
                        return (index, status == .ok ? answer["prediction"] as? Int : nil)
                    }
                }
                for try await (index, prediction) in group {
                    #expect(prediction == expected[index])
                }
            }
        }
    }
}

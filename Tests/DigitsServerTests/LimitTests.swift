import DigitsKit
import DigitsResources
import DigitsServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The work in flight is bounded: predictions wait for one of a few slots, then are a 503;
/// a picture declaring more than 16 megapixels is refused before it is decoded.
@Suite("digits-server limits")
struct LimitTests {
    static let csv = Array(Array(repeating: "0", count: 784).joined(separator: ",").utf8)

    static func app(_ slots: PredictionSlots) throws -> some ApplicationProtocol {
        Application(router: buildRouter(model: ServerTests.model, modelSource: "shipped", page: try WebPage.shipped(), slots: slots))
    }

    @Test func aPredictionWithNoFreeSlotIs503ThenServedOnceOneFrees() async throws {
        let slots = PredictionSlots(limit: 1, wait: 0.2)
        try await Self.app(slots).test(.router) { client in
            #expect(await slots.acquire(), "the one slot is free")
            for path in ["/api/predict", "/api/number"] {
                let type = path == "/api/predict" ? "text/csv" : "image/png"
                let body = path == "/api/predict" ? Self.csv : PNGImage.encode(GrayImage(width: 28, height: 28, pixels: .init(repeating: 0, count: 784)))
                try await client.execute(uri: path, method: .post, headers: [.contentType: type], body: ByteBuffer(bytes: body)) { response in
                    #expect(response.status == .serviceUnavailable, "\(path)")
                    let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    #expect(object?["status"] as? Int == 503)
                    #expect((object?["error"] as? String)?.hasPrefix("server busy: all 1 prediction slots stayed taken for 0.2 s") == true)
                }
            }
            await slots.release()
            try await client.execute(uri: "/api/predict", method: .post, headers: [.contentType: "text/csv"],
                                     body: ByteBuffer(bytes: Self.csv)) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func aWaitingPredictionGetsTheSlotFreed() async throws {
        let slots = PredictionSlots(limit: 1, wait: 60)
        #expect(await slots.acquire())
        let waiter = Task { await slots.acquire() }
        await slots.release()
        #expect(await waiter.value, "the waiting request did not get the freed slot")
        let late = PredictionSlots(limit: 1, wait: 0.05)
        #expect(await late.acquire())
        #expect(await late.acquire() == false, "a request got a slot none had freed")
    }

    /// A PNG header (signature and IHDR) declaring `width` × `height`, then nothing decodable.
    static func pngHeader(_ width: UInt32, _ height: UInt32) -> [UInt8] {
        PNGImage.signature + [0, 0, 0, 13] + Array("IHDR".utf8) + withUnsafeBytes(of: width.bigEndian, Array.init)
            + withUnsafeBytes(of: height.bigEndian, Array.init) + [8, 0, 0, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 7, count: 64)
    }

    /// A JPEG's start (SOI, a JFIF APP0, then SOF0) declaring `width` × `height`.
    static func jpegHeader(_ width: UInt16, _ height: UInt16) -> [UInt8] {
        let app0: [UInt8] = [0xFF, 0xE0, 0, 16] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
        let sof0: [UInt8] = [0xFF, 0xC0, 0, 11, 8] + withUnsafeBytes(of: height.bigEndian, Array.init)
            + withUnsafeBytes(of: width.bigEndian, Array.init) + [1, 1, 0x11, 0]
        return [0xFF, 0xD8] + app0 + sof0 + [UInt8](repeating: 7, count: 64)
    }

    @Test func aPictureOver16MegapixelsIsRefusedBeforeDecoding() async throws {
        // A real PNG of 4,100 × 4,000 (16.4 MP) and forged headers, all bodies under 1 MiB.
        let black = PNGImage.encode(GrayImage(width: 4_100, height: 4_000, pixels: .init(repeating: 0, count: 4_100 * 4_000)))
        let over: [(String, [UInt8], String)] = [
            ("/api/predict", black, "image/png"), ("/api/number", black, "image/png"),
            ("/api/predict", Self.pngHeader(100_000, 200), "image/png"),
            ("/api/predict", Self.pngHeader(UInt32.max, UInt32.max), "image/png"),
            ("/api/predict", Self.jpegHeader(5_000, 4_000), "image/jpeg"), ("/api/number", Self.jpegHeader(65_535, 300), "image/jpeg"),
        ]
        try await ServerTests.app().test(.router) { client in
            for (path, body, type) in over {
                let (status, answer) = try await ServerTests.post(client, body, type: type, path: path)
                #expect(status == .contentTooLarge, "\(path) \(type) \(answer)")
                #expect((answer["error"] as? String)?.contains("over the API's limit of 16000000 pixels (16 megapixels)") == true, "\(answer)")
            }
            // At the limit the decoder gets the picture, and says what is wrong with it.
            for (body, type) in [(Self.pngHeader(4_000, 4_000), "image/png"), (Self.jpegHeader(4_000, 4_000), "image/jpeg")] {
                let (status, answer) = try await ServerTests.post(client, body, type: type)
                #expect(status == .badRequest, "\(type) \(answer)")
            }
        }
    }
}

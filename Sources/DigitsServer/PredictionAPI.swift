import DigitsKit
import Foundation

/// A request the API refuses: its HTTP status and a one-line message, sent as JSON.
public struct APIError: Error, Equatable, Sendable, CustomStringConvertible {
    public let status: Int
    public let message: String
    /// Whether the connection is closed after this answer (`Connection: close`): the request
    /// was left unread, so what follows it on the connection cannot be trusted as a next request.
    public let closesConnection: Bool

    public init(_ status: Int, _ message: String, closesConnection: Bool = false) {
        self.status = status
        self.message = message
        self.closesConnection = closesConnection
    }

    public var description: String { message }

    /// `{"error":"…","status":400}`.
    public var json: String { "{\"error\":\(jsonString(message)),\"status\":\(status)}" }
}

/// What `POST /api/predict` does, apart from HTTP: the body and its content type in, the
/// answer out. PNG and CSV go through `ImageInput`, the code `digits query` reads files with,
/// so both give the same answer and the same error messages.
public enum PredictionAPI {
    /// Bodies larger than this are refused (413) before they are read whole.
    public static let bodyLimit = 1 << 20
    /// Pictures declaring more pixels than this are refused (413) before they are decoded: 16
    /// megapixels, a 4000 × 4000 picture or a 12-megapixel phone photo, far more than a digit
    /// needs. (`digits query` allows 10,000 × 10,000, since it reads one file at a time.)
    public static let pixelLimit = 16_000_000
    /// How a request body is named in error messages (where `digits query` names the file).
    public static let bodyName = "request body"

    public enum Kind: String, Sendable {
        case png = "image/png"
        case jpeg = "image/jpeg"
        case csv = "text/csv"
        case json = "application/json"

        /// The kind of a Content-Type header, parameters (`; charset=utf-8`) ignored.
        public init?(contentType: String?) {
            guard let contentType else { return nil }
            // The usual header, exactly a type's name: no splitting, trimming or lowercasing.
            if let kind = Kind(rawValue: contentType) {
                self = kind
                return
            }
            let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            guard let mediaType, let kind = Kind(rawValue: mediaType) else { return nil }
            self = kind
        }
    }

    /// 415: a content type the API does not read.
    public static func unsupported(_ contentType: String?) -> APIError {
        APIError(415, "unsupported content type \(contentType.map { "\"\($0)\"" } ?? "(none)"): send image/png, image/jpeg, text/csv or application/json")
    }

    /// 413: a picture whose header declares more than `pixelLimit` pixels.
    static func checkPixels(_ body: [UInt8]) throws(APIError) {
        guard let (width, height) = DeclaredSize.of(body), Double(width) * Double(height) > Double(pixelLimit) else { return }
        throw APIError(413, "\(bodyName): a picture of \(width) × \(height) pixels, over the API's limit of \(pixelLimit) pixels (16 megapixels)")
    }

    /// The 784 intensities 0…255 of the one image in `body`, as the network will see them
    /// (after MNIST preprocessing for a picture); nil when the picture has no ink at all.
    public static func image(body: [UInt8], contentType: String?) throws(APIError) -> [Float]? {
        guard let kind = Kind(contentType: contentType) else { throw unsupported(contentType) }
        switch kind {
        case .png:
            guard PNGImage.isPNG(body) else { throw APIError(400, "\(bodyName): not a PNG (no PNG signature), though sent as image/png") }
            try checkPixels(body)
            return try single(ImageInput.images(in: body, path: bodyName))
        case .jpeg:
            guard JPEGImage.isJPEG(body) else { throw APIError(400, "\(bodyName): not a JPEG (no JPEG signature), though sent as image/jpeg") }
            try checkPixels(body)
            return try single(ImageInput.images(in: body, path: bodyName))
        case .csv:
            guard !PNGImage.isPNG(body) else { throw APIError(400, "\(bodyName): a PNG sent as text/csv: send it as image/png") }
            guard !JPEGImage.isJPEG(body) else { throw APIError(400, "\(bodyName): a JPEG sent as text/csv: send it as image/jpeg") }
            return try single(ImageInput.images(in: body, path: bodyName))
        case .json:
            // The same rule as a CSV line: blank, or normalised when not in MNIST's convention.
            switch ImageInput.values(try pixels(json: body), path: bodyName) {
            case .success(let pixels): return pixels
            case .failure(.blank): return nil
            case .failure(let error): throw APIError(400, error.description)
            }
        }
    }

    /// One image (nil: no ink) or an error with `digits query`'s message.
    private static func single(_ results: [Result<QueryImage, InputError>]) throws(APIError) -> [Float]? {
        guard results.count == 1 else {
            throw APIError(400, "\(bodyName): \(results.count) images: send one image per request")
        }
        switch results[0] {
        case .success(let image): return image.pixels
        case .failure(.blank): return nil
        case .failure(let error): throw APIError(400, error.description)
        }
    }

    /// `{"pixels": [784 numbers 0…255]}`, row-major 28×28, light ink on black (as MNIST).
    static func pixels(json body: [UInt8]) throws(APIError) -> [Float] {
        // Deep nesting is refused before the parser sees it.
        var depth = 0, deepest = 0
        for byte in body {
            if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") { depth += 1; deepest = max(deepest, depth) }
            if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") { depth -= 1 }
        }
        let expected = "expected {\"pixels\": [784 numbers 0–255]}"
        guard deepest <= 4 else { throw APIError(400, "\(bodyName): not a JSON object: \(expected)") }
        struct Body: Decodable { let pixels: [Double] }
        let decoded: Body
        do {
            decoded = try JSONDecoder().decode(Body.self, from: Data(body))
        } catch DecodingError.keyNotFound {
            throw APIError(400, "\(bodyName): no \"pixels\" array: \(expected)")
        } catch DecodingError.typeMismatch(_, let context) {
            if let index = context.codingPath.last?.intValue {
                throw APIError(400, "\(bodyName): pixels[\(index)] is not a number 0–255")
            }
            let what = context.codingPath.isEmpty ? "not a JSON object" : "\"pixels\" is not an array"
            throw APIError(400, "\(bodyName): \(what): \(expected)")
        } catch DecodingError.dataCorrupted {
            // Python's json.dumps writes NaN and Infinity, which JSON does not have.
            let text = String(decoding: body, as: UTF8.self)
            if text.contains("NaN") || text.contains("Infinity") {
                throw APIError(400, "\(bodyName): NaN and Infinity are not JSON numbers (pixels are numbers 0–255): \(expected)")
            }
            throw APIError(400, "\(bodyName): not valid JSON: \(expected)")
        } catch {
            throw APIError(400, "\(bodyName): not a JSON object: \(expected)")
        }
        let values = decoded.pixels
        guard values.count == Dataset.pixelCount else {
            throw APIError(400, "\(bodyName): \"pixels\" has \(values.count) values: \(expected)")
        }
        if let index = values.firstIndex(where: { !(0...255).contains($0) }) {
            throw APIError(400, "\(bodyName): pixels[\(index)] is \(values[index]), not a number 0–255")
        }
        let pixels = values.map(Float.init)
        return pixels
    }

    /// The answer (`Answer`, as `digits query --json` prints it), with the 28×28 input the
    /// network saw when `withInput` (`?input=1`, as the page asks), or "not a digit" when the
    /// picture had no ink.
    public static func predict(body: [UInt8], contentType: String?, model: Model, withInput: Bool = false) throws(APIError) -> String {
        guard let pixels = try image(body: body, contentType: contentType) else { return Answer.blank().json }
        return Answer(model.predict(pixels), input: withInput ? pixels : nil).json
    }

    /// `POST /api/number`: a picture of a row of digits (PNG or JPEG) to the number read.
    public static func number(body: [UInt8], contentType: String?, model: Model, withInput: Bool = false) throws(APIError) -> String {
        guard let kind = Kind(contentType: contentType) else { throw unsupported(contentType) }
        guard kind == .png || kind == .jpeg else {
            throw APIError(415, "a number is read from a picture: send image/png or image/jpeg, not \(kind.rawValue)")
        }
        try checkPixels(body)
        do {
            let picture = try ImageInput.picture(in: body, path: bodyName)
            let digits = try NumberImage.digits(in: picture, path: bodyName).map { ($0, model.predict($0.pixels)) }
            return NumberAnswer(file: nil, digits: digits, withInput: withInput).json
        } catch {
            throw APIError(400, error.description)
        }
    }

    /// `GET /api/model`: the metadata, with the history as JSON, and where the model came from.
    /// Built by Foundation's encoder from values, never by pasting the file's text into JSON: a
    /// history that is not a JSON array is sent as the string it is.
    public static func modelJSON(_ model: Model, source: String) -> String {
        var object: [String: Any] = model.metadata
        if let history = model.metadata["history"], let data = history.data(using: .utf8),
           let parsed = try? JSONSerialization.jsonObject(with: data), parsed is [Any] {
            object["history"] = parsed
        }
        object["source"] = source
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{\"error\":\"the model's metadata could not be written as JSON\"}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}

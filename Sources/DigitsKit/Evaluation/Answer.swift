import Foundation

/// The answer about one image as `digits query --json` prints it and `POST /api/predict` sends
/// it: one shape, one encoder (Foundation's, keys sorted), so no text from outside is ever
/// pasted into JSON.
public struct Answer: Encodable, Sendable, Equatable {
    public struct Likely: Encodable, Sendable, Equatable {
        public let digit: Int
        public let probability: Float
    }

    /// The file (and CSV line) the image came from; nil for a request body.
    public var file: String?
    /// The most likely digit; nil only when there was no ink to read.
    public var prediction: Int?
    /// Its calibrated probability (`Calibration`).
    public var probability: Float
    /// "sure", "unsure" or "not_a_digit" (`Prediction.Verdict`).
    public var verdict: String
    public var unsure: Bool
    public var notADigit: Bool
    /// Why "not a digit", in words.
    public var reason: String?
    /// The two most likely digits, most likely first.
    public var top: [Likely]
    /// All ten calibrated probabilities, and the network's ten outputs as they are.
    public var probabilities: [Float]
    public var scores: [Float]
    /// The label a CSV line carried.
    public var label: Int?
    /// The 28×28 input the network saw, when asked for: its 784 intensities rounded to bytes
    /// (row-major, light ink on black), in base64 — about 1 KB, where 784 numbers in JSON
    /// cost the server more than the prediction itself.
    public var input: String?
    /// Where the digit is in the picture, for a digit of a number: [x0, y0, x1, y1] in pixels.
    public var box: [Int]?

    enum CodingKeys: String, CodingKey {
        case file, prediction, probability, verdict, unsure, notADigit = "not_a_digit", reason, top, probabilities, scores, label, input, box
    }

    /// As synthesised, but `prediction` is always there: null when there was nothing to read.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(file, forKey: .file)
        try c.encode(prediction, forKey: .prediction)
        try c.encode(probability, forKey: .probability)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(unsure, forKey: .unsure)
        try c.encode(notADigit, forKey: .notADigit)
        try c.encodeIfPresent(reason, forKey: .reason)
        try c.encode(top, forKey: .top)
        try c.encode(probabilities, forKey: .probabilities)
        try c.encode(scores, forKey: .scores)
        try c.encodeIfPresent(label, forKey: .label)
        try c.encodeIfPresent(input, forKey: .input)
        try c.encodeIfPresent(box, forKey: .box)
    }

    /// One line of JSON: the same text as `encodedLine(self)` (JSONEncoder, keys sorted), written
    /// directly, since JSONEncoder took as long as the rest of a prediction on the server.
    public var json: String {
        guard probability.isFinite, probabilities.allSatisfy(\.isFinite), scores.allSatisfy(\.isFinite),
              top.allSatisfy({ $0.probability.isFinite }) else {
            return encodedLine(self)  // its message for a number that is not finite
        }
        // The members in JSONEncoder's sorted order, appended to one string.
        var out = "{"
        out.reserveCapacity(512 + (input?.utf8.count ?? 0) + (file?.utf8.count ?? 0))
        func member(_ key: String, _ value: String) {
            if out.utf8.count > 1 { out += "," }
            out += "\"" + key + "\":" + value
        }
        func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }
        func numbers(_ values: [Float]) -> String { array(values.map { jsonNumber($0)! }) }
        if let box { member("box", array(box.map(String.init))) }
        if let file { member("file", jsonString(file)) }
        if let input { member("input", jsonString(input)) }
        if let label { member("label", String(label)) }
        member("not_a_digit", String(notADigit))
        member("prediction", prediction.map(String.init) ?? "null")
        member("probabilities", numbers(probabilities))
        member("probability", jsonNumber(probability)!)
        if let reason { member("reason", jsonString(reason)) }
        member("scores", numbers(scores))
        member("top", array(top.map { "{\"digit\":\($0.digit),\"probability\":\(jsonNumber($0.probability)!)}" }))
        member("unsure", String(unsure))
        member("verdict", jsonString(verdict))
        return out + "}"
    }
}

extension Answer {
    // In an extension, so that the memberwise initialiser stays for `blank`.
    public init(_ p: Prediction, file: String? = nil, label: Int? = nil, input: [Float]? = nil) {
        self.file = file
        prediction = p.digit
        probability = p.probability
        verdict = p.verdict.rawValue
        unsure = p.verdict == .unsure
        notADigit = p.verdict == .notADigit
        reason = p.verdict == .notADigit ? "best guess \(p.digit) at \(fixed(Double(p.probability), 2)): too unlikely to be a digit" : nil
        top = p.top.map { Likely(digit: $0.digit, probability: $0.probability) }
        probabilities = p.probabilities
        scores = p.scores
        self.label = label
        self.input = input.map(Self.base64)
        box = nil
    }

    /// `pixels` rounded to bytes 0…255, in base64.
    static func base64(_ pixels: [Float]) -> String {
        Data(pixels.map { UInt8(max(0, min(255, $0.rounded()))) }).base64EncodedString()
    }

    /// The answer for an image with no ink at all: not a digit, no guess.
    public static func blank(file: String? = nil) -> Answer {
        Answer(file: file, prediction: nil, probability: 0, verdict: Prediction.Verdict.notADigit.rawValue, unsure: false,
               notADigit: true, reason: "no ink: the image is blank", top: [], probabilities: [], scores: [], label: nil, input: nil)
    }
}

/// The answer about a row of digits: the number read (a `?` for a piece that is not a digit)
/// and each digit's answer with its box.
public struct NumberAnswer: Encodable, Sendable, Equatable {
    public var file: String?
    public var number: String
    public var digits: [Answer]

    /// `withInput`: each digit's answer carries the 28×28 input it was read from.
    public init(file: String?, digits: [(NumberImage.Digit, Prediction)], withInput: Bool = false) {
        self.file = file
        self.digits = digits.map { digit, prediction in
            var answer = Answer(prediction, input: withInput ? digit.pixels : nil)
            answer.box = [digit.box.x0, digit.box.y0, digit.box.x1, digit.box.y1]
            return answer
        }
        number = digits.map { _, p in p.verdict == .notADigit ? "?" : String(p.digit) }.joined()
    }

    public var json: String { encodedLine(self) }
}

/// `value` as one line of JSON, keys sorted: how every JSON the project prints is written.
public func encodedLine(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Only a number that is not finite can fail to encode; a model with one is refused on load.
    guard let data = try? encoder.encode(value) else { return "{\"error\":\"the answer held a number that is not finite\"}" }
    return String(decoding: data, as: UTF8.self)
}

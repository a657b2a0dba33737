import Foundation
import Testing
@testable import DigitsKit

/// `Answer.json` is written by hand for speed; JSONEncoder (`encodedLine`) is its reference.
@Suite("Answer")
struct AnswerTests {
    /// A float of any magnitude the network or the calibration can give, and some spellings
    /// that are easy to get wrong: whole numbers ("1", not "1.0"), tiny and huge exponents.
    static func float(_ random: inout Random) -> Float {
        let special: [Float] = [0, 1, -1, 0.5, 1e-7, 3.4e38, -2.5e-12, 100, 0.1, Float.leastNonzeroMagnitude]
        if Int.random(in: 0..<4, using: &random) == 0 { return special.randomElement(using: &random)! }
        return Float.random(in: -1...1, using: &random) * pow(10, Float(Int.random(in: -9...9, using: &random)))
    }

    static func answer(_ random: inout Random, file: String?) -> Answer {
        var answer = Answer(file: file, prediction: Int.random(in: 0...9, using: &random), probability: float(&random),
                            verdict: ["sure", "unsure", "not_a_digit"].randomElement(using: &random)!,
                            unsure: Bool.random(using: &random), notADigit: Bool.random(using: &random),
                            reason: Bool.random(using: &random) ? "best guess 3 at 0.12: too unlikely" : nil,
                            top: (0..<2).map { _ in Answer.Likely(digit: Int.random(in: 0...9, using: &random), probability: float(&random)) },
                            probabilities: (0..<10).map { _ in float(&random) }, scores: (0..<10).map { _ in float(&random) },
                            label: Bool.random(using: &random) ? Int.random(in: 0...9, using: &random) : nil,
                            input: Bool.random(using: &random) ? Answer.base64((0..<784).map { _ in Float.random(in: 0...255, using: &random) }) : nil)
        if Bool.random(using: &random) { answer.box = (0..<4).map { _ in Int.random(in: 0...4000, using: &random) } }
        return answer
    }

    @Test func theHandWrittenJSONIsJSONEncodersTextExactly() {
        var random = Random(seed: 15)
        let files: [String?] = [nil, "digit.png", "scans/a b/7.csv:12", "naïve/数字/ü.png", "a\"quoted\\path/x.png"]
        for index in 0..<500 {
            let answer = Self.answer(&random, file: files[index % files.count])
            #expect(answer.json == encodedLine(answer), "answer \(index)")
        }
        #expect(Answer.blank().json == encodedLine(Answer.blank()))
        #expect(Answer.blank(file: "empty.png").json == encodedLine(Answer.blank(file: "empty.png")))
    }

    /// File names with every control character, quotes, backslashes, slashes and characters
    /// JSON lets through unescaped (DEL, U+2028): escaped as JSONEncoder escapes them.
    @Test func fileNamesWithControlCharactersAreEscapedAsJSONEncoderDoes() throws {
        var random = Random(seed: 16)
        let controls = String(String.UnicodeScalarView((0..<32).compactMap(Unicode.Scalar.init)))
        for file in ["bad\u{8}name\u{1}\t\n\r\u{c}\u{7f}.png", controls, "a\"b\\c/d\u{2028}e\u{7f}.csv"] {
            let answer = Self.answer(&random, file: file)
            #expect(answer.json == encodedLine(answer), "\(file.debugDescription)")
            let back = try JSONSerialization.jsonObject(with: Data(answer.json.utf8)) as? [String: Any]
            #expect(back?["file"] as? String == file)
        }
    }

    @Test func aNumberThatIsNotFiniteGivesEncodedLinesError() {
        var random = Random(seed: 17)
        var answer = Self.answer(&random, file: nil)
        answer.scores[3] = .nan
        #expect(answer.json == encodedLine(answer))
        #expect(answer.json.contains("\"error\""))
    }
}

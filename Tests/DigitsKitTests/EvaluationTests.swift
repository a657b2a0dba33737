import Foundation
import Testing
@testable import DigitsKit

@Suite("Evaluation")
struct EvaluationTests {
    // Digits 0, 1, 2: true 0 → predicted 0, 0, 1; true 1 → 1; true 2 → 2, 1.
    let evaluation = Evaluation(predictions: [0, 0, 1, 1, 2, 1], labels: [0, 0, 0, 1, 2, 2])

    @Test func countsAccuracyAndTheMatrix() {
        #expect(evaluation.total == 6)
        #expect(evaluation.correct == 4)
        #expect(abs(evaluation.accuracy - 4.0 / 6) < 1e-12)
        #expect(evaluation.confusion[0][1] == 1 && evaluation.confusion[2][1] == 1 && evaluation.confusion[1][1] == 1)
    }

    @Test func precisionAndRecallPerDigit() {
        #expect(evaluation.precision(1) == 1.0 / 3)  // predicted 1 three times, right once
        #expect(evaluation.recall(0) == 2.0 / 3)
        #expect(evaluation.recall(2) == 0.5)
        #expect(evaluation.precision(7) == 0)  // never predicted: 0, not NaN
    }

    @Test func reportEndsWithTheAccuracyLineAndHasTotals() {
        let lines = evaluation.report().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "accuracy: 66.67% (4/6)")
        #expect(lines.contains { $0.hasPrefix("    total") && $0.hasSuffix("6") })
        let header = lines.first { $0.hasPrefix("true\\pred") }!
        let row0 = lines.first { $0.hasPrefix("        0") }!
        #expect(header.count == row0.count)  // aligned columns
    }

    @Test func jsonHoldsTheFiguresWithSortedKeys() throws {
        let json = evaluation.json()
        #expect(json.hasPrefix("{\"accuracy\":0.6666666666666666,\"confusion\":[[2,1,0,0,0,0,0,0,0,0],"), "\(json)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["correct"] as? Int == 4 && object["total"] as? Int == 6)
        #expect((object["recall"] as? [Double])?.count == 10 && (object["precision"] as? [Double])?.count == 10)
    }

    @Test func fixedAndPercentRound() {
        // Inputs clear of the rounding boundary: 0.97925 is not a tie in binary (it is stored as
        // 0.979249999…), so which answer it gets hangs on the rounding of ×10⁴, not on `fixed`'s
        // rule. The tie rule itself (half away from zero) is checked on -0.25, exact in binary.
        #expect(fixed(0.97926, 4) == "0.9793")
        #expect(fixed(0.97924, 4) == "0.9792")
        #expect(fixed(1.5, 0) == "2")
        #expect(fixed(-0.25, 1) == "-0.3")
        #expect(percent(0.9793) == "97.93%")
        #expect(percent(1) == "100.00%")
    }
}

import Testing
@testable import DigitsKit

struct ChartsTests {
    @Test func ticksAreRoundAndCoverTheRange() {
        #expect(Charts.niceTicks(0.04, 0.114) == [0.04, 0.06, 0.08, 0.1, 0.12])
        #expect(Charts.niceTicks(85.7, 98.1) == [85, 90, 95, 100])
        #expect(Charts.niceTicks(1, 30, integers: true) == [0, 10, 20, 30])
        #expect(Charts.niceTicks(1, 12, integers: true) == [0, 5, 10, 15])
        #expect(Charts.niceTicks(1, 2, integers: true) == [1, 2])
        #expect(Charts.niceTicks(5, 5).count >= 2)
        #expect(Charts.tickLabel(0.06, ticks: [0.04, 0.06]) == "0.06")
        #expect(Charts.tickLabel(90, ticks: [85, 90]) == "90")
    }

    static func texts(_ figure: Figure) -> [String] {
        figure.marks.compactMap { if case let .text(s, _, _, _, _, _, _) = $0 { return s } else { return nil } }
    }

    @Test func theHeatMapHoldsEveryCountAndRecallAndPrecision() {
        var m = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
        for d in 0..<10 { m[d][d] = 90 + d }
        m[4][9] = 7
        m[7][2] = 3
        let evaluation = Evaluation(confusion: m)
        let figure = Charts.confusion(evaluation)
        let texts = Self.texts(figure)
        for d in 0..<10 { #expect(texts.contains(String(90 + d))) }
        #expect(texts.contains("7") && texts.contains("3"))
        #expect(texts.contains(percent(evaluation.recall(4))))
        #expect(texts.contains(fixed(evaluation.precision(9) * 100, 1)))
        // The diagonal is green, the largest mistake the deepest orange, an empty cell white.
        let fills = figure.marks.compactMap { mark -> RGB? in
            if case let .rect(_, _, w, _, fill, _) = mark, w == 46 { return fill } else { return nil }
        }
        #expect(fills.count == 100)
        #expect(fills[0].g > fills[0].r && fills[55].g > fills[55].r)
        #expect(fills[4 * 10 + 9] == ColorScale.mistaken(1))
        #expect(fills[1] == .white)
    }

    @Test func learningCurvesDrawOneLinePerRecordedSeries() {
        let history = (1...3).map { EpochReport(epoch: $0, loss: 0.1 / Double($0), accuracy: 0.9, validationAccuracy: nil,
                                                 trainingAccuracy: 0.8, seconds: 0, examples: 0) }
        let figure = Charts.learningCurves(history)
        let lines = figure.marks.filter { if case let .line(points, _, width, _) = $0 { return width == 2 && points.count == 3 } else { return false } }
        #expect(lines.count == 3)  // loss, training, test (no validation recorded)
        let texts = Self.texts(figure)
        #expect(texts.contains("epoch") && texts.contains("test") && !texts.contains("validation"))
        #expect(Self.texts(Charts.learningCurves([])).contains { $0.contains("no per-epoch history") })
        // The epoch axis starts at 1: no tick 0 left of the axis.
        let thirty = (1...30).map { EpochReport(epoch: $0, loss: 0.1, accuracy: 0.9, seconds: 0, examples: 0) }
        let epochTicks = Self.texts(Charts.learningCurves(thirty)).filter { ["0", "10", "20", "30"].contains($0) }
        #expect(epochTicks.filter { $0 == "0" }.isEmpty && epochTicks.filter { $0 == "10" }.count == 2)
    }
}

/// A model's history is foreign text: what it says must not break the report.
@Suite("Charts: crafted history")
struct CraftedHistoryTests {
    @Test func entriesOutOfRangeAreLeftOutAndTheAxesStaySane() {
        let history = """
            [{"epoch":1,"loss":0.5,"accuracy":0.9},{"epoch":9.3e18,"loss":0.4},{"epoch":2,"loss":1e300},\
            {"epoch":3,"loss":0.3,"accuracy":7},{"epoch":4,"loss":"x"},{"epoch":5,"loss":0.2,"training_accuracy":0.95}]
            """
        let model = Model(network: Network(hiddenCount: 2, seed: 1), inputs: .unit, metadata: ["history": history])
        #expect(model.history.map(\.epoch) == [1, 5])
        let svg = Charts.learningCurves(model.history).svg(id: "x")
        #expect(!svg.contains("9223372036854775808") && !svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func fixedWritesHugeNumbersWithoutOverflowing() {
        #expect(fixed(1e300, 2) == "1e+300")
        #expect(fixed(-9.3e18, 0) == "-9.3e+18")
        #expect(fixed(123.456, 2) == "123.46")
    }
}

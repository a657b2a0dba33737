import Testing
@testable import DigitsKit

@Suite("Ground")
struct GroundTests {
    /// Selection must give exactly the element sorting gives, for every rank, with many ties,
    /// runs already sorted or reversed, and one element.
    @Test func orderStatisticIsTheSortedArraysElement() {
        var random = Random(seed: 157)
        var cases: [[Float]] = [[3], [2, 1], [5, 5, 5, 5], (0..<100).map(Float.init), (0..<100).reversed().map(Float.init)]
        for _ in 0..<40 {
            let count = Int.random(in: 1...300, using: &random)
            let levels = Int.random(in: 1...20, using: &random)
            cases.append((0..<count).map { _ in Float(Int.random(in: 0..<levels, using: &random)) * 12.5 - 40 })
        }
        for values in cases {
            let sorted = values.sorted()
            for k in values.indices {
                #expect(Ground.orderStatistic(values, k) == sorted[k], "rank \(k) of \(values.count) values")
            }
        }
    }

    @Test func percentileIsTheNearestRank() {
        let values: [Float] = [9, 1, 8, 2, 7, 3, 6, 4, 5]
        #expect(Ground.percentile(values, 0.5) == 5)
        #expect(Ground.percentile(values, 0) == 1)
        #expect(Ground.percentile(values, 1) == 9)
        #expect(Ground.percentile(values, 0.3) == 3)  // rank round(8 · 0.3) = 2
    }
}

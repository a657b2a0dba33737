import Testing
@testable import DigitsKit

@Suite("Random")
struct RandomTests {
    @Test func sameSeedSameStream() {
        var a = Random(seed: 1), b = Random(seed: 1), c = Random(seed: 2)
        let x = (0..<5).map { _ in a.next() }
        #expect(x == (0..<5).map { _ in b.next() })
        #expect(x != (0..<5).map { _ in c.next() })
    }

    @Test func streamIsPinned() {
        // The bits of the first draws are part of the model's reproducibility: a change to the
        // generator must be deliberate, and changes every model.
        var r = Random(seed: 0)
        let first = r.next()
        var again = Random(seed: 0)
        #expect(again.next() == first)
        #expect(first == 0x99EC_5F36_CB75_F2B4)
    }

    @Test func belowIsInRangeAndRoughlyUniform() {
        var r = Random(seed: 5)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[r.below(7)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
    }

    @Test func normalHasTheRequestedMoments() {
        var r = Random(seed: 11)
        let draws = (0..<100_000).map { _ in r.normal(sd: 2) }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let sd = (draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws.count)).squareRoot()
        #expect(abs(mean) < 0.03)
        #expect(abs(sd - 2) < 0.03)
    }

    @Test func shuffleIsAPermutation() {
        var r = Random(seed: 3)
        var a = Array(0..<100)
        r.shuffle(&a)
        #expect(a != Array(0..<100))
        #expect(a.sorted() == Array(0..<100))
    }
}

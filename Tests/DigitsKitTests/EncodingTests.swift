import Testing
@testable import DigitsKit

@Suite("Encoding")
struct EncodingTests {
    @Test func inputScalings() {
        #expect(InputScaling.unit.scale([0, 255, 51]) == [0, 1, 0.2])
        let book = InputScaling.book.scale([0, 255])
        #expect(abs(book[0] - 0.01) < 1e-7 && abs(book[1] - 1.0) < 1e-6)
    }

    @Test func targets() {
        #expect(TargetEncoding.onehot.target(2, count: 4) == [0, 0, 1, 0])
        #expect(TargetEncoding.book.target(0, count: 3) == [0.99, 0.01, 0.01])
    }
}

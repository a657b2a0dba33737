import Testing
@testable import DigitsKit

/// Messages about files say "1 byte", "1 image", never "1 bytes".
@Suite struct PluralTests {
    @Test func countsOfOneAreSingularInFileErrors() {
        #expect(IDXError.truncated(path: "p", expected: 1, found: 0).description == "p: truncated: expected 1 byte of data, found 0")
        #expect(IDXError.trailingBytes(path: "p", expected: 9, extra: 1, atLeast: false).description == "p: 1 trailing byte after the 9 bytes the header declares")
        #expect(IDXError.countMismatch(images: "i", imageCount: 1, labels: "l", labelCount: 2).description == "i: 1 image, but l has 2 labels (expected the same count)")
        #expect(ModelError.tooSmall(path: "m", size: 1).description.hasPrefix("m: not a model file: 1 byte, expected"))
        #expect(ModelError.headerTooLarge(path: "m", declared: 40, available: 1).description == "m: corrupt model: header length 40 bytes, more than the 1 byte after it")
        #expect(CheckpointError.finished(path: "c", epochs: 1).description == "c: the checkpoint already holds the whole run (1 epoch): nothing to resume")
    }

    @Test func otherCountsArePlural() {
        #expect(IDXError.truncated(path: "p", expected: 2, found: 0).description == "p: truncated: expected 2 bytes of data, found 0")
        #expect(counted(0, "byte") == "0 bytes")
    }
}

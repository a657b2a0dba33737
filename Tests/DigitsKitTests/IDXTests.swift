import Foundation
import Testing
@testable import DigitsKit

@Suite("IDX reader")
struct IDXTests {
    /// Writes `bytes` as a file in a new folder and reads it back as `kind`.
    private func read(_ bytes: [UInt8], kind: IDX.Kind = .images, name: String = "file-idx3-ubyte") throws(IDXError) -> IDX.Array {
        let path = Fixtures.folder() + "/" + name
        Fixtures.write(bytes, to: path)
        return try IDX.read(path, kind: kind)
    }

    /// Asserts that reading `bytes` fails with an error matching `expected`, naming the file.
    private func expectRejection(_ bytes: [UInt8], kind: IDX.Kind = .images, _ expected: (IDXError) -> Bool,
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        let name = "fixture-\(UUID().uuidString.prefix(6))"
        do {
            let result = try read(bytes, kind: kind, name: name)
            Issue.record("expected a rejection, got \(result.dimensions)", sourceLocation: sourceLocation)
        } catch {
            #expect(expected(error), "unexpected error: \(error)", sourceLocation: sourceLocation)
            #expect(error.description.contains(name), "message does not name the file: \(error)", sourceLocation: sourceLocation)
            #expect(!error.description.contains("\n"), "message is more than one line", sourceLocation: sourceLocation)
        }
    }

    /// Files under /proc report a size of 0 and yet have bytes: they are read, not called empty.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status")))
    func aFileWhoseSizeIsZeroButHasBytesIsReadNotCalledEmpty() {
        #expect(throws: IDXError.badMagic(path: "/proc/self/status", expected: IDX.Kind.images.magic,
                                          found: Array("Name".utf8).reduce(0) { $0 << 8 | UInt32($1) })) {
            try IDX.read("/proc/self/status", kind: .images)
        }
    }

    @Test func decodesFromMemoryAsFromAFile() throws {
        let file = Fixtures.imageFile(count: 2)
        #expect(try IDX.decode(file, path: "m", kind: .images) == (try read(file)))
        #expect(try IDX.decode(Gzip.compress(file), path: "m", kind: .images).bytes == Fixtures.images(count: 2))
        #expect(throws: IDXError.trailingBytes(path: "m", expected: 2 * 784, extra: 2, atLeast: false)) {
            try IDX.decode(file + [1, 2], path: "m", kind: .images)
        }
    }

    @Test func readsRawAndGzipAlike() throws {
        let file = Fixtures.imageFile(count: 3)
        let raw = try read(file)
        let gzip = try read(Gzip.compress(file))
        #expect(raw.dimensions == [3, 28, 28])
        #expect(raw.bytes == Fixtures.images(count: 3))
        #expect(gzip == raw)
        #expect(raw.fileBytes == file)
    }

    @Test func compressionIsDecidedByContentNotName() throws {
        let file = Fixtures.labelFile(count: 12)
        let gzipNamedPlain = try read(Gzip.compress(file), kind: .labels, name: "labels-idx1-ubyte")
        let plainNamedGzip = try read(file, kind: .labels, name: "labels-idx1-ubyte.gz")
        #expect(gzipNamedPlain.bytes == Fixtures.labels(count: 12))
        #expect(plainNamedGzip.bytes == Fixtures.labels(count: 12))
    }

    @Test func readsConcatenatedGzipMembersAsOneStream() throws {
        let file = Fixtures.imageFile(count: 2)
        let split = file.count / 3
        let twoMembers = Gzip.compress(Array(file[..<split])) + Gzip.compress(Array(file[split...]))
        #expect(try read(twoMembers).bytes == Fixtures.images(count: 2))
    }

    @Test func rejectsMissingFile() {
        let path = Fixtures.folder() + "/absent-idx3-ubyte"
        #expect(throws: IDXError.missing(path: path)) { try IDX.read(path, kind: .images) }
        #expect(IDXError.missing(path: path).description.contains(path))
    }

    @Test func rejectsUnreadableFile() {
        let path = Fixtures.folder()  // a folder is not a readable file
        do {
            _ = try IDX.read(path, kind: .images)
            Issue.record("a folder was read as IDX")
        } catch {
            guard case .unreadable(let p, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(p == path)
            #expect(error.description.contains(path))
        }
    }

    @Test func rejectsEmptyFile() {
        expectRejection([]) { if case .empty = $0 { true } else { false } }
    }

    @Test func rejectsBadMagic() {
        var file = Fixtures.imageFile(count: 1)
        file[0] = 0x12
        expectRejection(file) { $0 == .badMagic(path: $0.path, expected: 0x803, found: 0x1200_0803) }
        // A labels file where images are expected: the dimension count is part of the magic.
        expectRejection(Fixtures.labelFile(count: 4)) { $0 == .badMagic(path: $0.path, expected: 0x803, found: 0x801) }
        expectRejection(Fixtures.imageFile(count: 1), kind: .labels) { $0 == .badMagic(path: $0.path, expected: 0x801, found: 0x803) }
    }

    @Test func rejectsBadElementType() {
        var file = Fixtures.imageFile(count: 1)
        file[2] = 0x0D  // float
        expectRejection(file) { $0 == .badElementType(path: $0.path, found: 0x0D) }
    }

    @Test func rejectsZeroDimensions() {
        for index in 0..<3 {
            var dims = [2, 28, 28]
            dims[index] = 0
            expectRejection(IDX.encode(dimensions: dims, bytes: [])) {
                $0 == .zeroDimension(path: $0.path, index: index, dimensions: dims)
            }
        }
    }

    @Test func rejectsDeclaredSizeOverOneGiBBeforeAllocating() {
        // 65536 × 256 × 256 = 4 GiB declared by a 16-byte file: must fail at the header.
        let header = IDX.encode(dimensions: [65536, 256, 256], bytes: [])
        expectRejection(header) { $0 == .tooLarge(path: $0.path, dimensions: [65536, 256, 256], limit: IDX.sizeLimit) }
        expectRejection(Gzip.compress(header)) { if case .tooLarge = $0 { true } else { false } }
        // Products that overflow Int are refused the same way.
        let huge = IDX.encode(dimensions: [Int(UInt32.max), Int(UInt32.max), Int(UInt32.max)], bytes: [])
        expectRejection(huge) { if case .tooLarge = $0 { true } else { false } }
    }

    @Test func rejectsTruncatedData() {
        let file = Fixtures.imageFile(count: 2)
        expectRejection(Array(file.dropLast(100))) { $0 == .truncated(path: $0.path, expected: 2 * 784, found: 2 * 784 - 100) }
        expectRejection(Gzip.compress(Array(file.dropLast(1)))) { $0 == .truncated(path: $0.path, expected: 2 * 784, found: 2 * 784 - 1) }
        expectRejection(Array(file.prefix(10))) { $0 == .truncatedHeader(path: $0.path, expected: 12, found: 10) }
    }

    @Test func rejectsTrailingBytes() {
        let file = Fixtures.labelFile(count: 5)
        expectRejection(file + [0, 0, 0], kind: .labels) { $0 == .trailingBytes(path: $0.path, expected: 5, extra: 3, atLeast: false) }
        expectRejection(Gzip.compress(file + [7]), kind: .labels) { $0 == .trailingBytes(path: $0.path, expected: 5, extra: 1, atLeast: false) }
    }

    @Test func rejectsGzipWithWrongCRC() {
        var gz = Gzip.compress(Fixtures.imageFile(count: 1))
        gz[gz.count - 8] ^= 0xff  // CRC-32 of the trailer
        expectRejection(gz) { if case .corruptGzip(_, let reason) = $0 { reason.contains("check") } else { false } }
    }

    @Test func rejectsGzipWithWrongLength() {
        var gz = Gzip.compress(Fixtures.imageFile(count: 1))
        gz[gz.count - 4] ^= 0x01  // ISIZE of the trailer
        expectRejection(gz) { if case .corruptGzip(_, let reason) = $0 { reason.contains("length") } else { false } }
    }

    @Test func rejectsTruncatedGzipStream() {
        let gz = Gzip.compress(Fixtures.imageFile(count: 3))
        // Cut in the trailer, in the deflate data, and just after the gzip header.
        for cut in [gz.count - 3, gz.count / 2, 12] {
            expectRejection(Array(gz.prefix(cut))) { if case .corruptGzip(_, let reason) = $0 { reason.contains("truncated") } else { false } }
        }
    }

    @Test func rejectsCorruptDeflateData() {
        // Past the IDX header, so the header decodes and the damage is met in the data.
        var gz = Gzip.compress(Fixtures.imageFile(count: 3))
        for i in (gz.count - 40)..<(gz.count - 20) { gz[i] = 0xff }
        expectRejection(gz) { if case .corruptGzip = $0 { true } else { false } }
    }
}

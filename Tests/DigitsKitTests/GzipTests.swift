import Testing
@testable import DigitsKit

@Suite("gzip")
struct GzipTests {
    @Test func compressWritesAGzipMemberThatInflatesBack() throws {
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 >> 3) }
        let gz = Gzip.compress(bytes)
        #expect(Gzip.isGzip(gz))
        #expect(gz.count < bytes.count)
        let path = Fixtures.folder() + "/blob"
        Fixtures.write(gz, to: path)
        let file = try FileSource(path: path)
        let source = try GzipSource(file: file, path: path)
        var out = [UInt8](repeating: 0, count: bytes.count + 10)
        let n = try out.withUnsafeMutableBytes { buffer throws(IDXError) -> Int in try source.readFully(into: buffer) }
        #expect(n == bytes.count)
        #expect(Array(out.prefix(n)) == bytes)
    }

    @Test func detectsGzipByItsMagicOnly() {
        #expect(Gzip.isGzip([0x1f, 0x8b, 0x08]))
        #expect(!Gzip.isGzip([0x00, 0x00, 0x08, 0x03]))
        #expect(!Gzip.isGzip([0x1f]))
    }
}

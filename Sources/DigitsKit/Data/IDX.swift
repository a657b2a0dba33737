/// The IDX format of the MNIST files: a big-endian header (two zero bytes, the element type,
/// the number of dimensions, then each dimension as a 32-bit count) followed by the elements.
///
/// Only unsigned-byte elements (type 0x08) are read: that is what MNIST uses.
public enum IDX {
    /// The largest payload a header may declare. Checked before anything is allocated, so a
    /// hostile header cannot make the reader reserve gigabytes.
    public static let sizeLimit = 1 << 30

    /// Which of the two MNIST layouts a file must have.
    public enum Kind: Sendable {
        /// Magic 0x00000801: one dimension (the count).
        case labels
        /// Magic 0x00000803: three dimensions (count, rows, columns).
        case images

        public var dimensionCount: Int { self == .labels ? 1 : 3 }
        public var magic: UInt32 { 0x0000_0800 | UInt32(dimensionCount) }
    }

    /// A decoded IDX file: its dimensions and its bytes, contiguous and row-major.
    public struct Array: Sendable, Equatable {
        public let dimensions: [Int]
        public let bytes: [UInt8]

        /// The header as it stands in the (decompressed) file: magic, then each dimension.
        public var header: [UInt8] {
            var out: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
            for d in dimensions { out += bigEndianBytes(UInt32(d)) }
            return out
        }

        /// The whole decompressed file: header then elements, as its checksum is taken.
        public var fileBytes: [UInt8] { header + bytes }
    }

    /// Reads an IDX file, plain or gzip (decided by its first two bytes), checking every field.
    ///
    /// Either the whole array comes back or an error naming `path` does: there is no partly
    /// filled result.
    public static func read(_ path: String, kind: Kind) throws(IDXError) -> Array {
        let file = try FileSource(path: path)
        let start = try file.peek(2)
        if start.isEmpty { throw .empty(path: path) }
        let source: ByteSource = Gzip.isGzip(start) ? try GzipSource(file: file, path: path) : file
        // A size of 0 with bytes in it (a file under /proc): its size is known only once read.
        let rawSize = source === file && file.size > 0 ? file.size : nil
        return try read(from: source, path: path, kind: kind, rawSize: rawSize)
    }

    /// Decodes an IDX file held in memory, plain or gzip, with the same checks as `read`;
    /// errors name `path`.
    public static func decode(_ bytes: [UInt8], path: String, kind: Kind) throws(IDXError) -> Array {
        if bytes.isEmpty { throw .empty(path: path) }
        let memory = MemorySource(bytes)
        if Gzip.isGzip(bytes) {
            return try read(from: try GzipSource(file: memory, path: path), path: path, kind: kind, rawSize: nil)
        }
        return try read(from: memory, path: path, kind: kind, rawSize: bytes.count)
    }

    /// Encodes `bytes` with `dimensions` as an IDX file (the inverse of `read`).
    public static func encode(dimensions: [Int], bytes: [UInt8]) -> [UInt8] {
        Array(dimensions: dimensions, bytes: bytes).fileBytes
    }

    private static func read(from source: ByteSource, path: String, kind: Kind, rawSize: Int?) throws(IDXError) -> Array {
        // Magic: 0x00 0x00, element type, dimension count.
        let magic = try readWord(source, path: path, offset: 0)
        if magic >> 16 != 0 || magic & 0xff != UInt32(kind.dimensionCount) {
            throw .badMagic(path: path, expected: kind.magic, found: magic)
        }
        let elementType = UInt8((magic >> 8) & 0xff)
        if elementType != 0x08 { throw .badElementType(path: path, found: elementType) }

        var dimensions: [Int] = []
        for i in 0..<kind.dimensionCount {
            dimensions.append(Int(try readWord(source, path: path, offset: 4 + 4 * i)))
        }
        if let zero = dimensions.firstIndex(of: 0) {
            throw .zeroDimension(path: path, index: zero, dimensions: dimensions)
        }
        var count = 1
        for d in dimensions {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            if overflow || product > sizeLimit { throw .tooLarge(path: path, dimensions: dimensions, limit: sizeLimit) }
            count = product
        }
        let headerSize = 4 + 4 * kind.dimensionCount
        if let rawSize, rawSize - headerSize < count {
            throw .truncated(path: path, expected: count, found: rawSize - headerSize)
        }

        var failure: IDXError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do {
                initialized = try source.readFully(into: UnsafeMutableRawBufferPointer(buffer))
            } catch let error as IDXError {
                failure = error
                initialized = 0
            } catch {
                initialized = 0
            }
        }
        if let failure { throw failure }
        if bytes.count < count { throw .truncated(path: path, expected: count, found: bytes.count) }

        // Nothing may follow the declared data.
        if let rawSize {
            if rawSize > headerSize + count {
                throw .trailingBytes(path: path, expected: count, extra: rawSize - headerSize - count, atLeast: false)
            }
        } else {
            var scratch = [UInt8](repeating: 0, count: 4096)
            let extra = try fill(&scratch, from: source)
            if extra > 0 {
                throw .trailingBytes(path: path, expected: count, extra: extra, atLeast: extra == scratch.count)
            }
        }
        return Array(dimensions: dimensions, bytes: bytes)
    }

    private static func readWord(_ source: ByteSource, path: String, offset: Int) throws(IDXError) -> UInt32 {
        var word: [UInt8] = [0, 0, 0, 0]
        let n = try fill(&word, from: source)
        if n < 4 {
            throw .truncatedHeader(path: path, expected: offset + 4, found: offset + n)
        }
        return word.reduce(0) { $0 << 8 | UInt32($1) }
    }
}

/// Reads from `source` until `bytes` is full or the stream ends; returns how many were read.
private func fill(_ bytes: inout [UInt8], from source: ByteSource) throws(IDXError) -> Int {
    let result: Result<Int, IDXError> = bytes.withUnsafeMutableBytes { buffer in
        do { return .success(try source.readFully(into: buffer)) } catch let error as IDXError { return .failure(error) } catch {
            return .failure(.unreadable(path: "", reason: "\(error)"))
        }
    }
    return try result.get()
}

/// The four bytes of `value`, most significant first (IDX is big-endian).
func bigEndianBytes(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
}
